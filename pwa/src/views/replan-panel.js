// The re-plan preview: what moves, what is added, what drops, value and drive time before and
// after. Nothing changes until the rep taps Accept; Undo then restores the route before.
import { html } from './html.js';

const names = (stops) => stops.map((s) => s.name).join(', ');

export function ReplanPreview({ preview, onAccept, onDiscard, busy }) {
  const { diff } = preview;
  return html`
    <section class="card stack" aria-labelledby="preview-h" data-testid="replan-preview">
      <h2 id="preview-h">Re-plan preview</h2>
      ${!diff.changed ? html`<p>The re-plan keeps the same stops in the same order.</p>` : html`
        <ul class="preview">
          ${diff.moved.length > 0 && html`<li>Moves: ${diff.moved.map((m) => `${m.stop.name} (${m.from} → ${m.to})`).join(', ')}</li>`}
          ${diff.added.length > 0 && html`<li>Adds: ${names(diff.added)}</li>`}
          ${diff.dropped.length > 0 && html`<li>Drops: ${names(diff.dropped)}</li>`}
        </ul>`}
      <table class="diff">
        <caption class="sr-only">Before and after</caption>
        <thead><tr><th scope="col"></th><th scope="col">Now</th><th scope="col">After</th></tr></thead>
        <tbody>
          <tr><th scope="row">Stops to go</th><td>${diff.before.stops}</td><td>${diff.after.stops}</td></tr>
          <tr><th scope="row">Value</th><td>${diff.before.value}</td><td>${diff.after.value}</td></tr>
          <tr><th scope="row">Driving</th><td>${diff.before.drive_minutes} min</td><td>${diff.after.drive_minutes} min</td></tr>
        </tbody>
      </table>
      <div class="actions">
        <button class="btn btn--primary" onClick=${onAccept} disabled=${busy}>Accept re-plan</button>
        <button class="btn" onClick=${onDiscard} disabled=${busy}>Keep my route</button>
      </div>
    </section>
  `;
}
