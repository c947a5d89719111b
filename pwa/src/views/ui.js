// Small shared pieces of UI.
import { html } from './html.js';

/** A row of large toggle buttons acting as a single-choice group (radio semantics). */
export function Choice({ legend, options, value, onChange, name }) {
  return html`
    <fieldset class=${`choice choice--${options.length}`}>
      <legend>${legend}</legend>
      <div class="choice__row">
        ${options.map((o) => html`
          <label class=${`choice__opt ${value === o.value ? 'is-on' : ''}`}>
            <input type="radio" name=${name} value=${o.value} checked=${value === o.value}
                   onChange=${() => onChange(o.value)} />
            <span>${o.label}</span>
          </label>`)}
      </div>
    </fieldset>
  `;
}

export function StatusChip({ status }) {
  const label = { planned: 'Planned', arrived: 'Checked in', done: 'Done', skipped: 'Skipped', overdue: 'Overdue', due: 'Due', upcoming: 'Upcoming' }[status] || status;
  return html`<span class=${`chip chip--${status}`}>${label}</span>`;
}

export function Empty({ children }) {
  return html`<p class="empty">${children}</p>`;
}
