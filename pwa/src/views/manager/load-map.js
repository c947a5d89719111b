// The workload screen's map: every account of the team coloured by its rep's load.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { fetchAll } from '../../lib/manager-api.js';

export function LoadMap({ workload }) {
  const el = useRef(null);
  const [state, setState] = useState('loading');
  const key = JSON.stringify(workload.reps.map((r) => [r.rep_id, r.load_pct, r.accounts]));
  useEffect(() => {
    let dispose = null;
    let cancelled = false;
    (async () => {
      const [{ drawLoadMap }, users] = await Promise.all([import('../../lib/load-map.js'), fetchAll('/api/users')]);
      const homes = new Map(users.map((u) => [u.id, u.home]));
      const reps = await Promise.all(workload.reps.map(async (r) => ({
        ...r,
        home: homes.get(r.rep_id),
        accounts: r.accounts ? await fetchAll('/api/accounts', { owner_id: r.rep_id }) : [],
      })));
      if (cancelled) return;
      dispose = await drawLoadMap(el.current, reps);
      setState(`ready:${reps.reduce((n, r) => n + r.accounts.length, 0)}`);
    })().catch(() => setState('failed'));
    return () => {
      cancelled = true;
      dispose?.();
    };
  }, [key]);
  return html`
    <ul class="legend" aria-label="Map legend">
      <li><span class="swatch swatch--over" aria-hidden="true"></span> over capacity (above 100 %)</li>
      <li><span class="swatch swatch--ok" aria-hidden="true"></span> 70–100 %</li>
      <li><span class="swatch swatch--under" aria-hidden="true"></span> under 70 %</li>
      <li>Ringed dots: the reps' homes</li>
    </ul>
    <div class="map map--tall" ref=${el} role="region" aria-label="Accounts coloured by their rep's load" data-testid="load-map" data-state=${state}>
      ${state === 'failed' && html`<p class="muted">Map unavailable.</p>`}
    </div>`;
}
