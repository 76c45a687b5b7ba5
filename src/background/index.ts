// The background: a Chrome service worker / Firefox event page. It may be
// stopped at any moment; all state lives in IndexedDB (see store.ts) and
// storage.local (settings).

import { startCapture, endStaleSessions, enforceRetention, compactEndedSessions } from './capture';
import { applyCaptureRegistration } from './registration';
import { installAutomationApi } from './automation';
import { startLive } from './live';
import { loadSettings, onSettingsChanged } from './settings';

// Listeners are added synchronously so that the event that woke us is delivered.
startCapture();
startLive();
onSettingsChanged((settings) => {
  void applyCaptureRegistration(settings);
  void enforceRetention(settings);
});
const ready = loadSettings().then(async (settings) => {
  await applyCaptureRegistration(settings);
  await endStaleSessions();
  await compactEndedSessions();
  await enforceRetention(settings);
});
installAutomationApi(ready);
