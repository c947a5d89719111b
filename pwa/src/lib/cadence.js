// The cadence engine's due rule, ported from backend/cadence/engine (due.py, periods.py,
// urgency.py) so that a touch logged offline updates the account's due status at once.
//
// THE TWO MUST STAY EQUAL. Both are checked against the same cases,
// pwa/test/fixtures/cadence-cases.json: tests/backend/cadence/engine/test_engine_shared_cases.py
// runs the Python engine on them and pwa/test/cadence.test.js runs this module. Change the rule
// in both places and regenerate the cases (see that Python test) or one of the suites fails.
//
// Dates are local calendar dates 'YYYY-MM-DD' in the rep's time zone. See due.py for the rule:
// touch k of n in a period of L days is due on day ceil((3k-1)L/(3n)), its lead window opens on
// day ceil((3k-2)L/(3n)); overdue after the due date.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_MS = 86_400_000;
export const TOUCH_TYPES = ['visit', 'call', 'email'];

// plan_store.DEFAULT_TIERS / DEFAULT_RULES: the plan in force before an admin saves one.
export const DEFAULT_PLAN = {
  tiers: [{ tier: 'A', weight: 3.0 }, { tier: 'B', weight: 2.0 }, { tier: 'C', weight: 1.0 }],
  rules: [
    { tier: 'A', touch_type: 'visit', count: 2, period: 'month' },
    { tier: 'A', touch_type: 'call', count: 2, period: 'month' },
    { tier: 'A', touch_type: 'email', count: 4, period: 'month' },
    { tier: 'B', touch_type: 'visit', count: 1, period: 'month' },
    { tier: 'B', touch_type: 'call', count: 2, period: 'month' },
    { tier: 'B', touch_type: 'email', count: 2, period: 'month' },
    { tier: 'C', touch_type: 'visit', count: 1, period: 'quarter' },
    { tier: 'C', touch_type: 'call', count: 1, period: 'month' },
    { tier: 'C', touch_type: 'email', count: 1, period: 'month' },
  ],
};
// urgency.DEFAULT_WEIGHTS (KARE and touch type; tier weights come from the plan's tiers).
const KARE_W = { keep: 1.3, expand: 1.2, recapture: 1.1, attain: 1.0 };
const TYPE_W = { visit: 1.0, call: 0.6, email: 0.3 };
const DOUBLING_DAYS = 7.0;

const toUtc = (iso) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
const fromUtc = (ms) => new Date(ms).toISOString().slice(0, 10);
const addDays = (iso, n) => fromUtc(toUtc(iso) + n * DAY_MS);
const daysBetween = (a, b) => Math.round((toUtc(b) - toUtc(a)) / DAY_MS); // b - a
const lastOfMonth = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate(); // m 1-based

function isoWeekLabel(monday) {
  const thursday = addDays(monday, 3);
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor(daysBetween(`${year}-01-01`, thursday) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The week (Mon-Sun), month or quarter containing `day`: {kind, first, last, days, label}. */
export function periodContaining(kind, day) {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  let first;
  let last;
  let label;
  if (kind === 'week') {
    const dow = (new Date(toUtc(day)).getUTCDay() + 6) % 7;
    first = addDays(day, -dow);
    last = addDays(first, 6);
    label = isoWeekLabel(first);
  } else if (kind === 'month') {
    first = `${day.slice(0, 7)}-01`;
    last = `${day.slice(0, 7)}-${String(lastOfMonth(y, m)).padStart(2, '0')}`;
    label = day.slice(0, 7);
  } else if (kind === 'quarter') {
    const fm = Math.floor((m - 1) / 3) * 3 + 1;
    first = `${y}-${String(fm).padStart(2, '0')}-01`;
    last = `${y}-${String(fm + 2).padStart(2, '0')}-${String(lastOfMonth(y, fm + 2)).padStart(2, '0')}`;
    label = `${y}-Q${(fm - 1) / 3 + 1}`;
  } else {
    throw new Error(`unknown period kind ${kind}`);
  }
  return { kind, first, last, days: daysBetween(first, last) + 1, label };
}

const ceilDiv = (a, b) => -Math.floor(-a / b);

/** [due_from, due_date] of the next touch, or null when the period's requirement is met. */
export function dueDates(period, required, done) {
  if (done >= required) return null;
  const k = done + 1;
  const dueDay = ceilDiv((3 * k - 1) * period.days, 3 * required);
  const fromDay = ceilDiv((3 * k - 2) * period.days, 3 * required);
  return [addDays(period.first, fromDay - 1), addDays(period.first, dueDay - 1)];
}

const plural = (n) => (n === 1 ? '1 day' : `${n} days`);

function reasonText(rule, period, asOf, done, lastTouch, dueDate, overdueDays) {
  const noun = rule.touch_type;
  const counted = rule.count === 1 ? noun : `${noun}s`;
  const parts = [`tier ${rule.tier}: ${done} of ${rule.count} ${counted} this ${period.kind}`];
  if (lastTouch == null) parts.push(`no ${noun} logged yet`);
  else {
    const ago = daysBetween(lastTouch, asOf);
    parts.push(ago === 0 ? `last ${noun} today` : `last ${noun} ${plural(ago)} ago`);
  }
  if (dueDate == null) parts.push('done');
  else if (overdueDays > 0) parts.push(`${plural(overdueDays)} overdue`);
  else if (dueDate === asOf) parts.push('due today');
  else parts.push(`due by ${MONTHS[Number(dueDate.slice(5, 7)) - 1]} ${Number(dueDate.slice(8, 10))}`);
  return parts.join(', ');
}

/** due.cadence_status: where one account stands for one rule on `asOf` given its touch dates. */
export function cadenceStatus(rule, touchDates, asOf) {
  const period = periodContaining(rule.period, asOf);
  const past = touchDates.filter((d) => d <= asOf);
  const done = past.filter((d) => d >= period.first && d <= period.last).length;
  const lastTouch = past.length ? past.reduce((a, b) => (a > b ? a : b)) : null;
  const remaining = Math.max(0, rule.count - done);
  const dates = dueDates(period, rule.count, done);
  let status;
  let overdueDays = 0;
  let dueFrom = null;
  let dueDate = null;
  if (dates == null) status = 'done';
  else {
    [dueFrom, dueDate] = dates;
    overdueDays = Math.max(0, daysBetween(dueDate, asOf));
    status = overdueDays > 0 ? 'overdue' : asOf >= dueFrom ? 'due' : 'upcoming';
  }
  return {
    tier: rule.tier, touch_type: rule.touch_type, period: period.label, required: rule.count, done, remaining,
    due_date: dueDate, due_from: dueFrom, overdue_days: overdueDays, status, last_touch: lastTouch,
    reason: reasonText(rule, period, asOf, done, lastTouch, dueDate, overdueDays),
  };
}

/** urgency.urgency_score with the plan's tier weights. */
export function urgencyScore(tier, touchType, latenessDays, kare, tierWeights) {
  const w = (tierWeights[tier] ?? 1.0) * (KARE_W[kare || ''] ?? 1.0) * (TYPE_W[touchType] ?? 1.0);
  return 10.0 * w * 2.0 ** (latenessDays / DOUBLING_DAYS);
}

/** The local calendar date of a timestamp in `timeZone` (core.clock.local_date). */
export function localDate(timestamp, timeZone) {
  const s = String(timestamp);
  const instant = new Date(/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s) ? `${s}Z` : s);
  return new Intl.DateTimeFormat('en-CA', { timeZone: timeZone || undefined, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/**
 * The due rows of one account (the shape of GET /api/cadence/due, id "<account>:<type>") and the
 * ids of its pairs that are done (to delete). `touchDates`: {visit: [dates], call: [...], ...}.
 */
export function accountDue(account, plan, touchDates, asOf) {
  const p = plan?.rules ? plan : DEFAULT_PLAN;
  const tierWeights = Object.fromEntries((p.tiers || []).map((t) => [t.tier, Number(t.weight) || 1.0]));
  const put = [];
  const remove = [];
  for (const type of TOUCH_TYPES) {
    const rule = p.rules.find((r) => r.tier === account.tier && r.touch_type === type && Number(r.count) > 0);
    const id = `${account.id}:${type}`;
    if (!rule) {
      remove.push(id);
      continue;
    }
    const st = cadenceStatus({ ...rule, count: Number(rule.count) }, touchDates[type] || [], asOf);
    if (st.due_date == null) {
      remove.push(id);
      continue;
    }
    put.push({
      id, account_id: account.id, account_name: account.name, tier: account.tier, touch_type: type,
      required: st.required, done: st.done, remaining: st.remaining, period: st.period,
      due_date: st.due_date, overdue_days: st.overdue_days, status: st.status,
      urgency: Math.round(urgencyScore(account.tier, type, daysBetween(st.due_date, asOf), account.kare, tierWeights) * 100) / 100,
      reason: st.reason,
    });
  }
  return { put, remove };
}
