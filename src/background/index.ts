// The background: a Chrome service worker / Firefox event page. It may be
// stopped at any moment; all state lives in IndexedDB (see store.ts).

import { startCapture, endStaleSessions } from './capture';
import { registerCaptureScripts } from './registration';
import { installAutomationApi } from './automation';

// Listeners are added synchronously so that the event that woke us is delivered.
startCapture();
const ready = registerCaptureScripts().then(() => endStaleSessions());
installAutomationApi(ready);
