// Entry point: styles, service worker, sync triggers, then the UI.
import './styles/app.css';
import { render } from 'preact';
import { html } from './views/html.js';
import { App } from './views/app.js';
import { registerServiceWorker } from './lib/sw-bridge.js';
import { watchInstallPrompt } from './lib/install.js';
import { interceptLinks } from './lib/router.js';
import { startSync } from './lib/sync.js';

watchInstallPrompt();
interceptLinks();
registerServiceWorker();
startSync();
render(html`<${App} />`, document.getElementById('app'));
