// Mutations the server answered "rejected": kept on the device with their content and the
// server's reason (sync-core.js writes them) until the rep has read and dismissed them.
import { db, getMeta } from './db.js';

const NOUNS = { 'account.update': 'account edit', 'stop.update': 'stop update', 'route.reorder': 'route order', 'follow_up.update': 'follow-up change' };

function noun(row) {
  return row.name === 'touch.log' ? row.args?.type || 'visit' : NOUNS[row.name] || 'change';
}

/** "1 visit not accepted: No longer your account" (newest first; one noun when all alike). */
export function rejectedText(rows) {
  if (!rows.length) return '';
  const kinds = new Set(rows.map(noun));
  const word = kinds.size === 1 ? noun(rows[0]) : 'change';
  return `${rows.length} ${word}${rows.length > 1 ? 's' : ''} not accepted: ${rows[0].reason}`;
}

/** The signed-in user's rejected items, newest first. */
export async function listRejected() {
  const user = await getMeta('user');
  if (!user) return [];
  const rows = await db.rejected.where('user_id').equals(user.id).toArray();
  return rows.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

/** The rep has seen it: forget the item. */
export function dismissRejected(id) {
  return db.rejected.delete(id);
}
