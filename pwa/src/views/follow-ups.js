// Follow-up tasks due today: next steps the rep logged with today's date (from this phone's data,
// so they show offline too, including ones not synced yet).
import { html } from './html.js';
import { useLive } from './hooks.js';
import { db } from '../lib/db.js';

export function FollowUps({ user, today }) {
  const tasks = useLive(async () => {
    const due = await db.touches.filter((t) => t.next_step_on === today && (t.rep_id == null || t.rep_id === user.id)).toArray();
    const names = await db.accounts.bulkGet(due.map((t) => t.account_id));
    return due.map((t, i) => ({ ...t, account_name: names[i]?.name || 'Account' }));
  }, [today, user.id], []);
  if (!tasks.length) return null;
  return html`
    <section class="card" aria-labelledby="follow-h" data-testid="follow-ups">
      <h2 id="follow-h">Follow-ups today</h2>
      <ul class="list">
        ${tasks.map((t) => html`<li class="list__item"><a class="list__link" href=${`/accounts/${t.account_id}`}>
          <span class="list__main"><span class="list__title">${t.account_name}</span>
            <span>${t.next_step}</span></span></a></li>`)}
      </ul>
    </section>`;
}
