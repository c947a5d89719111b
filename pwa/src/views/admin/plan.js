// Admin: the cadence plan editor. Tiers (visit length, weight) and rules (touches of a type per
// week, month or quarter for a tier), saved as a new plan version from a date on: the past is
// never rewritten, so reports of earlier periods keep the plan they were measured against.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { usePageTitle } from '../hooks.js';
import { api } from '../../lib/api.js';
import { addDays, todayIn } from '../../lib/dates.js';

const TYPES = ['visit', 'call', 'email'];
const PERIODS = ['week', 'month', 'quarter'];

/** The 422 envelope's messages flattened to "rules.2.count: Must be ..." lines. */
function messages(err) {
  const out = [];
  const walk = (v, path) => {
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out.push(`${path.join(' ')}: ${v.join(' ')}`);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, /^\d+$/.test(k) ? `#${Number(k) + 1}` : k]);
  };
  walk(err?.body?.errors?.json || {}, []);
  return out.length ? out : [err?.message || 'Could not save the plan.'];
}

export function AdminPlan({ user }) {
  const [plan, setPlan] = useState(null);
  const [from, setFrom] = useState(addDays(todayIn(user.time_zone), 1));
  const [errors, setErrors] = useState([]);
  const [saved, setSaved] = useState('');
  usePageTitle('Cadence plan');
  useEffect(() => {
    (async () => {
      const current = await api('GET', '/api/cadence/plan');
      // Edit the latest version: a change already scheduled for a later date, else today's.
      const latest = (current.versions || []).map((v) => v.effective_from).sort().pop();
      const p = latest && latest > current.effective_from ? await api('GET', `/api/cadence/plan?date=${latest}`) : current;
      setPlan({ ...p, inForce: current.effective_from, tiers: p.tiers.map((t) => ({ ...t })), rules: p.rules.map((r) => ({ ...r })) });
    })().catch((e) => setErrors([e.status === 0 ? 'Offline: the plan needs a connection.' : e.message]));
  }, []);
  if (!plan) return html`<h1 tabindex="-1">Cadence plan</h1>${errors.map((m) => html`<p class="error" role="alert">${m}</p>`)}<p class="muted">Loading…</p>`;

  const edit = (list, i, field, value) => setPlan({ ...plan, [list]: plan[list].map((x, j) => (j === i ? { ...x, [field]: value } : x)) });
  const remove = (list, i) => setPlan({ ...plan, [list]: plan[list].filter((_, j) => j !== i) });
  const tierNames = plan.tiers.map((t) => t.tier);
  async function save(e) {
    e.preventDefault();
    setErrors([]);
    setSaved('');
    try {
      const body = {
        effective_from: from,
        tiers: plan.tiers.map((t) => ({ tier: t.tier, visit_minutes: Number(t.visit_minutes), weight: Number(t.weight) })),
        rules: plan.rules.map((r) => ({ tier: r.tier, touch_type: r.touch_type, count: Number(r.count), period: r.period })),
      };
      const next = await api('PUT', '/api/cadence/plan', body);
      setPlan({ ...next, inForce: plan.inForce });
      setSaved(`Saved: the plan applies from ${next.effective_from}.`);
    } catch (err) {
      setErrors(messages(err));
    }
  }
  return html`
    <h1 tabindex="-1">Cadence plan</h1>
    <p class="muted" data-testid="plan-version">${plan.effective_from > plan.inForce ? `Scheduled from ${plan.effective_from} (today's plan is in force since ${plan.inForce})` : `In force since ${plan.effective_from}`}${plan.versions?.length ? ` · ${plan.versions.length} saved versions` : ' · the built-in default'}.</p>
    <form onSubmit=${save} data-testid="plan-form">
      <h2>Tiers</h2>
      <div class="table-scroll" tabindex="0" role="region" aria-label="Tiers"><table class="data-table" data-testid="plan-tiers">
        <thead><tr><th scope="col">Tier</th><th scope="col">Visit minutes</th><th scope="col">Weight</th><th scope="col"><span class="sr-only">Remove</span></th></tr></thead>
        <tbody>${plan.tiers.map((t, i) => html`<tr>
          <td><input aria-label=${`Tier ${i + 1} name`} value=${t.tier} onInput=${(e) => edit('tiers', i, 'tier', e.target.value)} /></td>
          <td><input type="number" min="1" max="480" aria-label=${`Tier ${t.tier} visit minutes`} value=${t.visit_minutes} onInput=${(e) => edit('tiers', i, 'visit_minutes', e.target.value)} /></td>
          <td><input type="number" min="0.1" step="0.1" aria-label=${`Tier ${t.tier} weight`} value=${t.weight} onInput=${(e) => edit('tiers', i, 'weight', e.target.value)} /></td>
          <td><button type="button" class="btn btn--small" onClick=${() => remove('tiers', i)}>Remove<span class="sr-only"> tier ${t.tier}</span></button></td></tr>`)}</tbody>
      </table></div>
      <p><button type="button" class="btn btn--small" onClick=${() => setPlan({ ...plan, tiers: [...plan.tiers, { tier: '', visit_minutes: 30, weight: 1 }] })}>Add tier</button></p>
      <h2>Rules</h2>
      <div class="table-scroll" tabindex="0" role="region" aria-label="Rules"><table class="data-table" data-testid="plan-rules">
        <thead><tr><th scope="col">Tier</th><th scope="col">Touch type</th><th scope="col">Count</th><th scope="col">Per</th><th scope="col"><span class="sr-only">Remove</span></th></tr></thead>
        <tbody>${plan.rules.map((r, i) => html`<tr>
          <td><select aria-label=${`Rule ${i + 1} tier`} value=${r.tier} onChange=${(e) => edit('rules', i, 'tier', e.target.value)}>
            ${[...new Set([...tierNames, r.tier])].map((n) => html`<option value=${n}>${n}</option>`)}</select></td>
          <td><select aria-label=${`Rule ${i + 1} touch type`} value=${r.touch_type} onChange=${(e) => edit('rules', i, 'touch_type', e.target.value)}>
            ${TYPES.map((n) => html`<option value=${n}>${n}</option>`)}</select></td>
          <td><input type="number" min="1" aria-label=${`Rule ${i + 1} count`} value=${r.count} onInput=${(e) => edit('rules', i, 'count', e.target.value)} /></td>
          <td><select aria-label=${`Rule ${i + 1} period`} value=${r.period} onChange=${(e) => edit('rules', i, 'period', e.target.value)}>
            ${PERIODS.map((n) => html`<option value=${n}>${n}</option>`)}</select></td>
          <td><button type="button" class="btn btn--small" onClick=${() => remove('rules', i)}>Remove<span class="sr-only"> rule ${i + 1}</span></button></td></tr>`)}</tbody>
      </table></div>
      <p><button type="button" class="btn btn--small" onClick=${() => setPlan({ ...plan, rules: [...plan.rules, { tier: tierNames[0] || 'A', touch_type: 'visit', count: 1, period: 'month' }] })}>Add rule</button></p>
      <div class="toolbar">
        <span><label for="plan-from">Applies from</label>
          <input id="plan-from" type="date" value=${from} onChange=${(e) => setFrom(e.target.value)} /></span>
        <button type="submit" class="btn btn--primary">Save plan</button>
      </div>
    </form>
    ${errors.length > 0 && html`<ul class="error" role="alert" data-testid="plan-errors">${errors.map((m) => html`<li>${m}</li>`)}</ul>`}
    ${saved && html`<p class="notice notice--ok" role="status">${saved}</p>`}
  `;
}
