// Adds the "WebRTC" panel to the browser's developer tools.

import browser from 'webextension-polyfill';

void browser.devtools.panels.create('WebRTC', '/assets/icons/icon-32.png', '/src/ui/panel/panel.html');
