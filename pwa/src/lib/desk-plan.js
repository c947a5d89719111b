// What the Due screen shows of the stored desk plan. A call or email logged on this phone leaves
// the lists at once (before any sync, and still after it): the server's answer predates it.
// Pure: the stored answer and the phone's touches in, the lists and their labels out.
import { localDate } from './cadence.js';
import { clock } from './dates.js';

const key = (accountId, type) => `${accountId}:${type}`;

/**
 * The lists less what was logged since: touches not yet sent, or made on or after the plan's
 * day (the server counted neither when it answered). Null when nothing is stored for `userId`.
 */
export function deskView(stored, touches, userId, timeZone) {
  const plan = stored?.plan;
  if (!plan || stored.user_id !== userId) return null;
  const logged = new Set(touches
    .filter((t) => t._pending || localDate(t.occurred_at, timeZone) >= plan.date)
    .map((t) => key(t.account_id, t.type)));
  const open = (item) => !logged.has(key(item.account_id, item.touch_type));
  const today = plan.today.filter(open);
  return {
    date: plan.date,
    minutes: plan.minutes,
    today,
    planned: today.reduce((sum, t) => sum + (t.minutes || 0), 0),
    logged: plan.today.length - today.length,
    later: (plan.later || []).filter(open),
    unplanned: (plan.unplanned || []).filter(open),
  };
}

/** "45 of 90 minutes", with how many of today's were logged since. */
export function deskTotal(view) {
  const done = view.logged ? ` · ${view.logged} logged` : '';
  return `${view.planned} of ${view.minutes} minutes${done}`;
}

/** When the list was fetched, and whether it is today's, in a rep's words. */
export function deskFetched(stored, today, online, timeZone) {
  const at = clock(stored.fetched_at, timeZone);
  if (stored.plan.date !== today) {
    const on = localDate(stored.fetched_at, timeZone);
    return `This list is from ${stored.plan.date} (fetched ${on} at ${at}); it refreshes when you are online.`;
  }
  return online ? `Fetched at ${at}.` : `Offline: the list as fetched at ${at}.`;
}
