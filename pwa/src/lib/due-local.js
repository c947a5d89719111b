// The due list on the phone follows the phone's own data: after a touch is written locally (and
// after every pull, when pending touches are re-applied) the account's due rows are recomputed
// with the engine's rule (cadence.js). Runs inside the caller's IndexedDB transaction, which
// must cover the touches, due, accounts and meta tables.
import { db } from './db.js';
import { accountDue, localDate } from './cadence.js';
import { todayIn } from './dates.js';

export const DUE_TABLES = ['touches', 'due', 'accounts', 'meta'];

export async function refreshAccountDue(accountId) {
  const [account, userRow, planRow] = await Promise.all([db.accounts.get(accountId), db.meta.get('user'), db.meta.get('plan')]);
  // Not on this device (or not the rep's): nothing to derive; the server's list stays.
  if (!account || !userRow?.value) return;
  const tz = userRow.value.time_zone;
  const touches = await db.touches.where('account_id').equals(accountId).toArray();
  const dates = {};
  for (const t of touches) (dates[t.type] ||= []).push(localDate(t.occurred_at, tz));
  const { put, remove } = accountDue(account, planRow?.value, dates, todayIn(tz));
  if (remove.length) await db.due.bulkDelete(remove);
  if (put.length) await db.due.bulkPut(put);
}
