// Manager: the departure wizard. Pick the leaving rep and how their accounts are handed over,
// preview it (a dry run: who gets how many), then confirm; one action moves everything.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { usePageTitle } from '../hooks.js';
import { api } from '../../lib/api.js';
import { fetchAll } from '../../lib/manager-api.js';
import { Choice } from '../ui.js';

const STRATEGIES = [
  { value: 'rule', label: 'Territory colleagues' },
  { value: 'proposal', label: 'Balanced proposal' },
  { value: 'named', label: 'One named rep' },
];

function messages(err) {
  const fields = err?.body?.errors?.json;
  if (!fields) return err?.message || 'Could not hand over.';
  const flat = [];
  const walk = (v) => (Array.isArray(v) ? v.forEach(walk) : v && typeof v === 'object' ? Object.values(v).forEach(walk) : flat.push(String(v)));
  walk(fields);
  return flat.join(' ');
}

function ByOwner({ result, names }) {
  return html`<ul class="list" data-testid="by-owner">${Object.entries(result.by_owner || {}).map(([id, n]) => html`<li class="list__item list__row">
    <span class="list__main"><span class="list__title">${names.get(Number(id)) || `Rep ${id}`}</span></span><span>${n} accounts</span></li>`)}</ul>`;
}

export function Departure() {
  const [reps, setReps] = useState(null);
  const [leaving, setLeaving] = useState('');
  const [strategy, setStrategy] = useState('rule');
  const [target, setTarget] = useState('');
  const [days, setDays] = useState(14);
  const [preview, setPreview] = useState(null);
  const [done, setDone] = useState(null);
  const [error, setError] = useState('');
  usePageTitle('A rep leaves');
  useEffect(() => {
    fetchAll('/api/users').then((u) => setReps(u.filter((x) => x.role === 'rep'))).catch((e) => setError(e.message));
  }, []);
  const names = new Map((reps || []).map((r) => [r.id, r.name]));
  const body = (dryRun) => ({ strategy, transition_days: Number(days), dry_run: dryRun, ...(strategy === 'named' ? { to: { rep_id: Number(target) } } : {}) });
  async function run(dryRun) {
    setError('');
    try {
      const result = await api('POST', `/api/users/${leaving}/departure`, body(dryRun));
      if (dryRun) setPreview(result);
      else setDone(result);
    } catch (e) {
      setError(messages(e));
    }
  }
  const reset = () => { setPreview(null); setDone(null); };
  if (done) {
    return html`<h1 tabindex="-1">A rep leaves</h1>
      <p class="notice notice--ok" role="status" data-testid="departure-done">${names.get(Number(leaving))}: ${done.moves} accounts handed over${done.transition_until ? `; both reps see them until ${done.transition_until}` : ''}.</p>
      <${ByOwner} result=${done} names=${names} />
      <p><a href="/manager/territories">Back to the workload</a></p>`;
  }
  return html`
    <p><a href="/manager/territories">← Workload</a></p>
    <h1 tabindex="-1">A rep leaves</h1>
    ${!reps && !error && html`<p class="muted">Loading…</p>`}
    ${reps && html`<form class="stack narrow" onSubmit=${(e) => { e.preventDefault(); run(true); }} data-testid="departure-form">
      <label for="d-rep">Who is leaving</label>
      <select id="d-rep" value=${leaving} onChange=${(e) => { setLeaving(e.target.value); reset(); }}>
        <option value="">Choose a rep</option>${reps.map((r) => html`<option value=${String(r.id)}>${r.name}</option>`)}</select>
      <${Choice} legend="Who takes the accounts" name="strategy" options=${STRATEGIES} value=${strategy} onChange=${(v) => { setStrategy(v); reset(); }} />
      ${strategy === 'named' && html`<label for="d-to">Hand everything to</label>
        <select id="d-to" value=${target} onChange=${(e) => { setTarget(e.target.value); reset(); }}>
          <option value="">Choose a rep</option>${reps.filter((r) => String(r.id) !== leaving).map((r) => html`<option value=${String(r.id)}>${r.name}</option>`)}</select>`}
      <label for="d-days">Transition window (days both reps see the accounts)</label>
      <input id="d-days" type="number" min="0" max="90" value=${days} onInput=${(e) => { setDays(e.target.value); reset(); }} />
      <button type="submit" class="btn" disabled=${!leaving}>Preview the handover</button>
    </form>`}
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${preview && html`<section aria-labelledby="prev-h" data-testid="departure-preview">
      <h2 id="prev-h">Preview: ${preview.moves} accounts</h2>
      <${ByOwner} result=${preview} names=${names} />
      <button type="button" class="btn btn--danger" onClick=${() => run(false)}>Hand over ${preview.moves} accounts</button>
    </section>`}
  `;
}
