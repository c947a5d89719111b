// Manager: every rep's route of the day on one map, one colour per rep.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { usePageTitle } from '../hooks.js';
import { MapView } from '../map-view.js';
import { api } from '../../lib/api.js';
import { fetchReport } from '../../lib/compliance.js';
import { todayIn } from '../../lib/dates.js';

export function TeamMap({ user }) {
  const today = todayIn(user.time_zone);
  const [routes, setRoutes] = useState(null);
  const [error, setError] = useState('');
  usePageTitle('Team map');
  useEffect(() => {
    (async () => {
      // The compliance report is the manager's list of reps in scope.
      const { rows } = await fetchReport(today.slice(0, 7));
      const reps = [...new Map(rows.filter((r) => r.rep_id != null).map((r) => [r.rep_id, r.rep_name])).entries()];
      const found = await Promise.all(reps.map(([id, name]) => api('GET', `/api/routes/${today}?rep=${id}`)
        .then((r) => ({ label: name, stops: [...(r.stops || [])].sort((a, b) => a.seq - b.seq), start: r.start }))
        .catch(() => null)));
      setRoutes(found.filter(Boolean));
    })().catch((e) => setError(e.message));
  }, [today]);
  return html`
    <h1 tabindex="-1">Team routes today</h1>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${!routes && !error && html`<p class="muted">Loading…</p>`}
    ${routes && html`
      <${MapView} routes=${routes} label="Team routes map" tall=${true} />
      <ul class="list team-legend">
        ${routes.map((r, i) => html`<li class="list__item list__row"><span class=${`swatch map-pin--c${i % 6}`} aria-hidden="true"></span>
          <span class="list__main"><span class="list__title">${r.label}</span>
          <span class="muted">${r.stops.length} stops · ${r.stops.filter((s) => s.status === 'done').length} done</span></span></li>`)}
      </ul>`}
  `;
}
