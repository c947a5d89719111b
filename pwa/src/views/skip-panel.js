// Skip a stop with a reason: preset reasons (one tap) or a short text.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { Choice } from './ui.js';
import { SKIP_REASONS } from '../lib/actions.js';

export function SkipPanel({ stop, onSkip, onCancel }) {
  const [reason, setReason] = useState(SKIP_REASONS[0]);
  const [other, setOther] = useState('');
  return html`
    <form class="panel stack" onSubmit=${(e) => { e.preventDefault(); onSkip(reason === 'Other' ? other.trim() || 'Other' : reason); }}>
      <${Choice} legend=${`Why skip ${stop.name}?`} name="skip-reason" value=${reason} onChange=${setReason}
        options=${SKIP_REASONS.map((r) => ({ value: r, label: r }))} />
      ${reason === 'Other' && html`
        <label for="skip-other">Reason</label>
        <input id="skip-other" value=${other} onInput=${(e) => setOther(e.target.value)} maxlength="200" />`}
      <div class="actions">
        <button class="btn btn--primary" type="submit">Skip stop</button>
        <button class="btn" type="button" onClick=${onCancel}>Cancel</button>
      </div>
    </form>
  `;
}
