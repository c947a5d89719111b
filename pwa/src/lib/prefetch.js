// Fetches what the rep needs offline that the pull feed may not carry in full: today's route,
// the due list and today's calls and emails (the day rolling over changes no server row, so pull
// alone would not refresh them).
// The week's stored routes come too (GET /api/routes/week/<monday> only reads; planning the
// week is a POST the rep asks for on the Week screen). Called after a successful sync on
// start/online/login; any failure here is harmless (the next trigger tries again).
import { db, getMeta, setMeta } from './db.js';
import { api } from './api.js';
import { storeServerRows, replaceDue } from './sync-core.js';
import { mondayOf, todayIn } from './dates.js';
import { fetchDesk } from './desk.js';

export async function prefetch() {
  const user = await getMeta('user');
  if (!user || user.role !== 'rep') return;
  const today = todayIn(user.time_zone);
  try {
    const route = await api('GET', `/api/routes/${today}`);
    if (route?.id) await storeServerRows('route', [route]);
  } catch { /* no route planned yet, or offline */ }
  try {
    const week = await api('GET', `/api/routes/week/${mondayOf(today)}`);
    const days = (week?.days || []).filter((d) => d?.id);
    if (days.length) await storeServerRows('route', days);
  } catch { /* offline, or an old server */ }
  try {
    const due = await api('GET', `/api/cadence/due?date=${today}`);
    if (Array.isArray(due)) {
      // The due list is derived on the server; replace it whole so stale items disappear.
      const rows = due.map((d) => ({ ...d, id: d.id ?? `${d.account_id}:${d.touch_type}` }));
      await replaceDue(rows);
      await setMeta('due_fetched_at', new Date().toISOString());
    }
  } catch { /* ignore */ }
  try {
    await fetchDesk(user, today);
  } catch { /* offline or an old server: the last list stays */ }
}
