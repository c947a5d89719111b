// The local effect of each sync mutation. The same function runs when the rep makes the change
// and again after every pull (rebase): server rows arrive, then still-pending mutations are
// re-applied on top, so the screen never "forgets" an unsent change. Each must be idempotent.
import { db } from './db.js';
import { refreshAccountDue, DUE_TABLES } from './due-local.js';

export const mutators = {
  'touch.log': {
    tables: DUE_TABLES,
    async apply(args, { repId } = {}) {
      const existing = await db.touches.get(args.id);
      // The server copy (no _pending flag) wins once it has arrived.
      if (existing && !existing._pending) return;
      await db.touches.put({ ...args, rep_id: repId ?? existing?.rep_id ?? null, _pending: 1 });
      // Offline truth: the account's due status follows the visit at once, before any sync.
      await refreshAccountDue(args.account_id);
    },
  },
  'account.update': {
    tables: ['accounts'],
    async apply(args) {
      await db.accounts.update(args.account_id, { ...args.changes, _pending: 1 });
    },
  },
  'stop.update': {
    tables: ['routes'],
    async apply(args) {
      const route = await db.routes.get(args.route_id);
      if (!route) return;
      const stops = route.stops.map((s) => {
        if (s.account_id !== args.account_id) return s;
        const next = { ...s, status: args.status };
        if (args.status === 'arrived') next.arrived_at = args.at;
        if (args.status === 'done') {
          next.done_at = args.at;
          next.arrived_at = s.arrived_at || args.at; // straight to done: arrived then too
        }
        if (args.status === 'skipped') next.skip_reason = args.skip_reason ?? '';
        return next;
      });
      await db.routes.put({ ...route, stops });
    },
  },
  // A follow-up (a touch's dated next step) marked done or open again, or moved to another day.
  'follow_up.update': {
    tables: ['touches'],
    async apply(args) {
      const patch = { ...args.changes };
      if ('follow_up_done' in patch) patch.follow_up_done_at = patch.follow_up_done ? args.at ?? new Date().toISOString() : null;
      await db.touches.update(args.touch_id, patch);
    },
  },
  'route.reorder': {
    tables: ['routes'],
    async apply(args) {
      const route = await db.routes.get(args.route_id);
      if (!route) return;
      const byId = new Map(route.stops.map((s) => [s.account_id, s]));
      const stops = args.order.map((id, i) => ({ ...byId.get(id), seq: i + 1 })).filter((s) => s.account_id);
      await db.routes.put({ ...route, stops });
    },
  },
};

/** Tables a transaction must lock to apply any mutation (used by rebase). */
export const MUTATED_TABLES = [...new Set(Object.values(mutators).flatMap((m) => m.tables))];
