// Manager: the team's routes of the day on one clustered map, one colour per rep, each rep's
// last check-in, filterable by rep. Online data (the manager's laptop).
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { usePageTitle } from '../hooks.js';
import { api } from '../../lib/api.js';
import { fetchAll, fetchPage } from '../../lib/manager-api.js';
import { localDateTime, todayIn } from '../../lib/dates.js';

async function lastCheckin(repId) {
  const { items } = await fetchPage('/api/touches', { rep_id: repId, type: 'visit' }, 1, 20);
  const t = items.find((x) => x.checkin?.lat != null);
  return t ? { lat: t.checkin.lat, lon: t.checkin.lon, account_id: t.account_id, at: localDateTime(t.occurred_at) } : null;
}

async function loadTeam(today) {
  const reps = (await fetchAll('/api/users')).filter((u) => u.role === 'rep');
  return Promise.all(reps.map(async (rep, i) => {
    const [route, checkin] = await Promise.all([
      api('GET', `/api/routes/${today}?rep=${rep.id}`).catch(() => null),
      lastCheckin(rep.id).catch(() => null),
    ]);
    const stops = [...(route?.stops || [])].sort((a, b) => a.seq - b.seq);
    const named = checkin && { ...checkin, name: stops.find((s) => s.account_id === checkin.account_id)?.name || `account ${checkin.account_id}` };
    return { id: rep.id, label: rep.name, color: i % 6, stops, start: route?.start, lastCheckin: named };
  }));
}

function TeamCanvas({ routes }) {
  const el = useRef(null);
  const [state, setState] = useState('loading');
  const key = JSON.stringify(routes.map((r) => [r.id, r.stops.map((s) => [s.lat, s.lon, s.status]), r.lastCheckin?.at]));
  useEffect(() => {
    let dispose = null;
    let cancelled = false;
    import('../../lib/team-map-draw.js')
      .then(({ drawTeam }) => drawTeam(el.current, routes))
      .then((d) => { if (cancelled) d(); else { dispose = d; setState('ready'); } })
      .catch(() => setState('failed'));
    return () => { cancelled = true; dispose?.(); };
  }, [key]);
  return html`<div class="map map--tall" ref=${el} role="region" aria-label="Team routes map" data-testid="team-map" data-state=${state}>
    ${state === 'failed' && html`<p class="muted">Map unavailable.</p>`}</div>`;
}

export function TeamMap({ user, query }) {
  const today = todayIn(user.time_zone);
  const [team, setTeam] = useState(null);
  const [rep, setRep] = useState(query?.get('rep') || '');
  const [error, setError] = useState('');
  usePageTitle('Team map');
  useEffect(() => {
    loadTeam(today).then(setTeam).catch((e) => setError(e.status === 0 ? 'Offline: the team map needs a connection.' : e.message));
  }, [today]);
  const shown = team ? team.filter((r) => !rep || String(r.id) === rep) : null;
  return html`
    <h1 tabindex="-1">Team routes today</h1>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${!team && !error && html`<p class="muted">Loading…</p>`}
    ${team && html`
      <div class="toolbar"><span><label for="tm-rep">Rep</label>
        <select id="tm-rep" value=${rep} onChange=${(e) => setRep(e.target.value)}>
          <option value="">All reps (${team.length})</option>${team.map((r) => html`<option value=${String(r.id)}>${r.label}</option>`)}</select></span></div>
      <div class="team-layout">
        <${TeamCanvas} routes=${shown} />
        <ul class="list team-legend" data-testid="team-list">
          ${shown.map((r) => html`<li class="list__item list__row" data-rep=${r.id}><span class=${`swatch map-pin--c${r.color}`} aria-hidden="true"></span>
            <span class="list__main"><span class="list__title">${r.label}</span>
            <span class="muted">${r.stops.length} stops · ${r.stops.filter((s) => s.status === 'done').length} done</span>
            <span class="muted" data-testid="last-checkin">${r.lastCheckin ? `Last check-in: ${r.lastCheckin.name}, ${r.lastCheckin.at}` : 'No check-in yet'}</span></span></li>`)}
        </ul>
      </div>`}
  `;
}
