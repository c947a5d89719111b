// Manager: a new rep's book carved from their territory's most loaded colleagues (the reverse of a
// departure). Pick the rep and territory, optionally how many accounts, preview it (a dry run: who
// gives how many), then confirm; the accounts move in one action and the new rep's route is
// re-planned.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { usePageTitle } from '../hooks.js';
import { api, fieldErrors } from '../../lib/api.js';
import { fetchAll } from '../../lib/manager-api.js';

function FromOwner({ result, names }) {
  return html`<ul class="list" data-testid="from-owner">${Object.entries(result.from_owner || {}).map(([id, n]) => html`<li class="list__item list__row">
    <span class="list__main"><span class="list__title">${names.get(Number(id)) || `Rep ${id}`}</span></span><span>gives ${n} accounts</span></li>`)}</ul>`;
}

export function Carve({ user, query }) {
  const [reps, setReps] = useState(null);
  const [repId, setRepId] = useState(query.get('rep') || '');
  const [territoryId, setTerritoryId] = useState('');
  const [count, setCount] = useState('');
  const [preview, setPreview] = useState(null);
  const [done, setDone] = useState(null);
  const [errors, setErrors] = useState({});
  usePageTitle('A new rep');
  useEffect(() => {
    if (user.role === 'rep') return;
    fetchAll('/api/users').then((u) => setReps(u.filter((x) => x.role === 'rep'))).catch((e) => setErrors({ _: e.message }));
  }, []);
  const names = new Map((reps || []).map((r) => [r.id, r.name]));
  const rep = (reps || []).find((r) => String(r.id) === repId);
  const territories = rep?.territories || [];
  const territory = territoryId || (territories[0] ? String(territories[0].id) : '');
  const reset = () => { setPreview(null); setDone(null); setErrors({}); };
  async function run(dryRun) {
    setErrors({});
    const body = { territory_id: Number(territory), dry_run: dryRun, ...(count.trim() ? { accounts: Number(count) || count } : {}) };
    try {
      const result = await api('POST', `/api/users/${repId}/carve`, body);
      if (dryRun) setPreview(result);
      else setDone(result);
    } catch (e) {
      const f = fieldErrors(e);
      setErrors(Object.keys(f).length ? f : { _: e.message });
      setPreview(null);
    }
  }
  if (user.role === 'rep') return html`<h1 tabindex="-1">A new rep</h1><p class="error" role="alert">Carving territories is for managers.</p>`;
  if (done) {
    return html`<h1 tabindex="-1">A new rep</h1>
      <p class="notice notice--ok" role="status" data-testid="carve-done">${rep?.name}: ${done.moves} accounts carved${done.moves ? '; their route is re-planned' : ''}.</p>
      <${FromOwner} result=${done} names=${names} />
      <p><a href="/manager/territories">Back to the workload</a></p>`;
  }
  const err = (k) => errors[k] && html`<span class="error" id=${`c-${k}-err`}>${errors[k]}</span>`;
  return html`
    <p><a href="/manager/territories">← Workload</a></p>
    <h1 tabindex="-1">A new rep</h1>
    <p class="muted">The new rep takes their fair share of the territory (its live accounts split evenly over its active reps), each account from
      the colleague who holds the most at that moment, the one nearest the new rep's home first. Locked accounts stay where they are.</p>
    ${!reps && !errors._ && html`<p class="muted">Loading…</p>`}
    ${reps && html`<form class="stack narrow" onSubmit=${(e) => { e.preventDefault(); run(true); }} data-testid="carve-form">
      <div class="field"><label for="c-rep">New rep</label>
        <select id="c-rep" value=${repId} onChange=${(e) => { setRepId(e.target.value); setTerritoryId(''); reset(); }}
          aria-invalid=${errors.user_id ? 'true' : undefined} aria-describedby=${errors.user_id ? 'c-user_id-err' : undefined}>
          <option value="">Choose a rep</option>${reps.map((r) => html`<option value=${String(r.id)}>${r.name}</option>`)}</select>${err('user_id')}</div>
      <div class="field"><label for="c-territory">Territory to carve from</label>
        <select id="c-territory" value=${territory} onChange=${(e) => { setTerritoryId(e.target.value); reset(); }} disabled=${!rep}
          aria-invalid=${errors.territory_id ? 'true' : undefined} aria-describedby=${errors.territory_id ? 'c-territory_id-err' : undefined}>
          ${!territories.length && html`<option value="">${rep ? 'The rep is in no territory' : 'Choose the rep first'}</option>`}
          ${territories.map((t) => html`<option value=${String(t.id)}>${t.name}</option>`)}</select>${err('territory_id')}</div>
      <div class="field"><label for="c-accounts">Accounts (empty: the fair share)</label>
        <input id="c-accounts" inputmode="numeric" value=${count} onInput=${(e) => { setCount(e.target.value); reset(); }}
          aria-invalid=${errors.accounts ? 'true' : undefined} aria-describedby=${errors.accounts ? 'c-accounts-err' : undefined} />${err('accounts')}</div>
      <button type="submit" class="btn" disabled=${!repId || !territory}>Preview the carve</button>
    </form>`}
    ${errors._ && html`<p class="error" role="alert">${errors._}</p>`}
    ${preview && html`<section aria-labelledby="carve-prev-h" data-testid="carve-preview">
      <h2 id="carve-prev-h">Preview: ${preview.moves} accounts to ${rep?.name}</h2>
      ${preview.moves ? html`<${FromOwner} result=${preview} names=${names} />
        <button type="button" class="btn btn--primary" onClick=${() => run(false)}>Carve ${preview.moves} accounts</button>`
        : html`<p class="muted">Nothing to carve: the rep already holds their share, or every other account is locked.</p>`}
    </section>`}
  `;
}
