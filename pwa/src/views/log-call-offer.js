// Tapping a phone number opens the dialer; coming back, the rep is offered to log that call.
import { html } from './html.js';

export function LogCallOffer({ who, href, onDismiss }) {
  return html`<div class="notice stack" role="status" data-testid="log-call-offer">
    <p>Called ${who}? Log the call while it is fresh.</p>
    <div class="actions">
      <a class="btn btn--primary" href=${href}>Log the call</a>
      <button class="btn" onClick=${onDismiss}>Not now</button>
    </div></div>`;
}
