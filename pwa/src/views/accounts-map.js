// Map of all the rep's accounts (clustered). Says so when tiles cannot load; the pins and the
// home marker still show on a plain background.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { useLive } from './hooks.js';
import { db } from '../lib/db.js';
import { dueByAccount } from '../lib/search.js';
import { todayIn } from '../lib/dates.js';
import { addToToday, friendlyError } from '../lib/steer.js';

export function AccountsMap({ user, accounts, due }) {
  const el = useRef(null);
  // Redraws run one after the other: a new one starts only once the previous map is removed
  // (Leaflet refuses a second map on a container that still holds one).
  const chain = useRef(Promise.resolve());
  const [tiles, setTiles] = useState(null); // null unknown, true loading fine, false failed
  const [message, setMessage] = useState('');
  const today = todayIn(user.time_zone);
  const route = useLive(() => db.routes.where('date').equals(today).filter((r) => r.rep_id === user.id).first(), [today, user.id], null);
  const onRoute = new Set((route?.stops || []).map((s) => s.account_id));
  const status = dueByAccount(due);
  const pins = accounts.map((a) => ({ id: a.id, name: a.name, lat: a.lat, lon: a.lon, tier: a.tier,
    status: status.get(a.id)?.status || 'ok', onRoute: onRoute.has(a.id) }));
  const key = JSON.stringify(pins.map((p) => [p.id, p.status, p.onRoute]));

  useEffect(() => {
    let dispose = null;
    let cancelled = false;
    const run = chain.current.then(() => (cancelled ? null : import('../lib/account-map.js')))
      .then((mod) => mod && !cancelled && mod.drawAccounts(el.current, {
        pins,
        home: user.home,
        onTiles: (ok) => setTiles((prev) => (prev === true ? true : ok)),
        onAdd: async (id) => {
          setMessage('');
          try {
            await addToToday(user, id);
            setMessage('Added to today\u2019s route.');
          } catch (err) {
            setMessage(friendlyError(err, 'Could not add the stop'));
          }
        },
      }))
      .then((d) => {
        if (d) dispose = d;
      })
      .catch((err) => {
        console.error('accounts map failed', err);
        setTiles(false);
      });
    chain.current = run;
    return () => {
      cancelled = true;
      chain.current = run.then(() => dispose?.());
    };
  }, [key]);

  // The inner div belongs to Leaflet (it adds its own classes): its class never changes here.
  return html`
    ${tiles === false && html`<p class="notice" role="status" data-testid="map-fallback">
      Map tiles cannot load right now (offline or blocked). Your accounts are shown on a plain background.</p>`}
    ${message && html`<p role="status">${message}</p>`}
    <ul class="legend" aria-label="Pin colours">
      <li><span class="swatch acc-pin--overdue" aria-hidden="true"></span>Overdue</li>
      <li><span class="swatch acc-pin--due" aria-hidden="true"></span>Due</li>
      <li><span class="swatch acc-pin--upcoming" aria-hidden="true"></span>Upcoming</li>
      <li><span class="swatch acc-pin--ok" aria-hidden="true"></span>Nothing due</li>
      <li>Letter: tier</li>
    </ul>
    <div class=${`map-wrap ${tiles === false ? 'map-wrap--plain' : ''}`} data-testid="accounts-map">
      <div class="map map--tall" ref=${el} role="region" aria-label="Map of your accounts"></div>
    </div>
  `;
}
