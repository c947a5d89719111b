// The outbox in the rep's words: "2 visits, 1 call waiting to sync", not "3 mutations".
const TOUCH_ORDER = ['visit', 'call', 'email'];
const OTHER = { 'stop.update': ['stop update', 'stop updates'], 'route.reorder': ['route change', 'route changes'],
  'account.update': ['account edit', 'account edits'] };

const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/** Words for a list of outbox rows ({name, args}); '' when empty. */
export function pendingText(rows) {
  if (!rows?.length) return '';
  const touches = {};
  const other = {};
  for (const r of rows) {
    if (r.name === 'touch.log') touches[r.args?.type || 'visit'] = (touches[r.args?.type || 'visit'] || 0) + 1;
    else other[r.name] = (other[r.name] || 0) + 1;
  }
  const parts = TOUCH_ORDER.filter((t) => touches[t]).map((t) => count(touches[t], t, `${t}s`));
  for (const [name, n] of Object.entries(other)) {
    const [one, many] = OTHER[name] || ['change', 'changes'];
    parts.push(count(n, one, many));
  }
  return `${parts.join(', ')} not sent yet`;
}
