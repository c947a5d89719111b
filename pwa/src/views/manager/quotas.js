// Manager: each rep's revenue quota for a period next to what their potential suggests (live
// accounts x average won deal x win rate, split by the accounts they own); edit a quota in its
// row and save, or set one for a rep who has none. The server's 422 messages sit by the field.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { usePageTitle } from '../hooks.js';
import { api, fieldErrors } from '../../lib/api.js';
import { fetchAll, qs } from '../../lib/manager-api.js';
import { navigate } from '../../lib/router.js';
import { quarterLabel } from '../../lib/periods.js';
import { todayIn } from '../../lib/dates.js';

const money = (x) => (x == null ? '–' : Math.round(Number(x)).toLocaleString('en-GB'));

function nextQuarter(label) {
  const [y, q] = [Number(label.slice(0, 4)), Number(label.slice(6))];
  return q === 4 ? `${y + 1}-Q1` : `${y}-Q${q + 1}`;
}

export function quotaPeriods(today) {
  const q = quarterLabel(today);
  const y = today.slice(0, 4);
  return [[q, 'This quarter'], [nextQuarter(q), 'Next quarter'], [today.slice(0, 7), 'This month'], [y, 'This year'], [String(Number(y) + 1), 'Next year']];
}

/** The amount as typed: a number when it reads as one, else the text for the server to judge. */
function amount(text) {
  const t = text.trim().replace(/,/g, '');
  if (t === '') return null;
  return Number.isFinite(Number(t)) ? Number(t) : t;
}

function QuotaRow({ rep, quota, suggested, period, onSaved }) {
  const [value, setValue] = useState(quota ? String(quota.revenue) : '');
  const [error, setError] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  // A saved or reloaded quota shows its stored figure; a message stays until the next save.
  useEffect(() => { setValue(quota ? String(quota.revenue) : ''); }, [quota?.id, quota?.version, period]);
  const id = `q-${rep.id}`;
  async function save() {
    setBusy(true);
    setError('');
    setNote('');
    try {
      const saved = quota
        ? await api('PATCH', `/api/quotas/${quota.id}`, { revenue: amount(value), base_version: quota.version })
        : await api('POST', '/api/quotas', { period, rep_id: rep.id, revenue: amount(value) });
      setNote(quota ? 'Saved.' : 'Quota set.');
      onSaved(saved);
    } catch (err) {
      if (err.status === 409) {
        setError('Someone changed this quota since you opened the screen; the current figure is shown again.');
        onSaved(null);
      } else {
        const f = fieldErrors(err);
        setError(f.revenue || f.period || f.rep_id || err.message);
      }
    } finally {
      setBusy(false);
    }
  }
  const changed = quota ? amount(value) !== quota.revenue : value.trim() !== '';
  return html`<tr data-rep=${rep.id}>
    <th scope="row">${rep.name}</th>
    <td class="num" data-testid="suggested">${money(suggested)}
      ${suggested != null && html` <button type="button" class="btn btn--small" onClick=${() => setValue(String(Math.round(suggested)))}
        aria-label=${`Use the suggestion for ${rep.name}`}>Use</button>`}</td>
    <td class="num" data-testid="current">${quota ? money(quota.revenue) : 'none'}</td>
    <td><div class="field">
      <label for=${id} class="sr-only">${`Quota for ${rep.name}`}</label>
      <input id=${id} class="input--amount" inputmode="decimal" value=${value} onInput=${(e) => { setValue(e.target.value); setNote(''); }}
        onKeyDown=${(e) => e.key === 'Enter' && save()}
        aria-invalid=${error ? 'true' : undefined} aria-describedby=${error ? `${id}-err` : undefined} />
      ${error && html`<span class="error" id=${`${id}-err`}>${error}</span>`}</div></td>
    <td><button type="button" class="btn btn--small btn--primary" disabled=${busy || !changed} onClick=${save}>
      ${quota ? 'Save' : 'Set quota'}<span class="sr-only">${` for ${rep.name}`}</span></button>
      ${note && html` <span class="muted" role="status">${note}</span>`}</td>
  </tr>`;
}

export function Quotas({ user, query }) {
  const today = todayIn(user.time_zone);
  const choices = quotaPeriods(today);
  const period = query.get('period') || choices[0][0];
  const [reps, setReps] = useState(null);
  const [quotas, setQuotas] = useState(null);
  const [suggestion, setSuggestion] = useState(null);
  const [error, setError] = useState('');
  usePageTitle('Quotas');
  const loadQuotas = () => fetchAll('/api/quotas', { period }).then(setQuotas);
  useEffect(() => {
    if (user.role === 'rep') return;
    setQuotas(null);
    setSuggestion(null);
    setError('');
    Promise.all([
      fetchAll('/api/users').then((u) => setReps(u.filter((x) => x.role === 'rep').sort((a, b) => a.name.localeCompare(b.name)))),
      loadQuotas(),
      api('GET', `/api/quotas/suggest?${qs({ period })}`).then(setSuggestion),
    ]).catch((e) => setError(e.status === 0 ? 'Offline: quotas need a connection.' : e.message));
  }, [period]);
  if (user.role === 'rep') return html`<h1 tabindex="-1">Quotas</h1><p class="error" role="alert">Quotas are set by managers.</p>`;

  const byRep = new Map((quotas || []).filter((q) => q.rep_id != null).map((q) => [q.rep_id, q]));
  const suggested = new Map();
  for (const row of suggestion?.rows || []) {
    for (const r of row.reps) suggested.set(r.rep_id, (suggested.get(r.rep_id) || 0) + r.suggested_revenue);
  }
  const territoryQuotas = (quotas || []).filter((q) => q.territory_id != null);
  const saved = (q) => (q ? setQuotas([...(quotas || []).filter((x) => x.id !== q.id), q]) : loadQuotas());
  const ready = reps && quotas && suggestion;
  return html`
    <h1 tabindex="-1">Quotas</h1>
    <div class="toolbar">
      <span><label for="q-period">Period</label>
        <select id="q-period" value=${period} onChange=${(e) => navigate(`/manager/quotas?${qs({ period: e.target.value })}`, { replace: true })}>
          ${choices.map(([v, l]) => html`<option value=${v}>${l} (${v})</option>`)}</select></span>
    </div>
    <p class="muted">The suggestion is each territory's potential (live accounts × average won deal × win rate, from the deals closed in the year
      before the period) split between its reps by the accounts they own.</p>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${!ready && !error && html`<p class="muted">Loading…</p>`}
    ${ready && html`<div class="table-scroll" tabindex="0" role="region" aria-label="Revenue quotas by rep">
      <table class="data-table" data-testid="quota-table">
        <thead><tr><th scope="col">Rep</th><th scope="col" class="num">Suggested from potential</th><th scope="col" class="num">Current quota</th>
          <th scope="col">New quota (revenue)</th><th scope="col">Action</th></tr></thead>
        <tbody>${reps.map((r) => html`<${QuotaRow} key=${`${period}-${r.id}`} rep=${r} quota=${byRep.get(r.id)} suggested=${suggested.get(r.id)}
          period=${period} onSaved=${saved} />`)}</tbody>
      </table></div>
      ${!reps.length && html`<p class="muted">No reps in your territories.</p>`}
      ${territoryQuotas.length > 0 && html`<section aria-labelledby="tq-h"><h2 id="tq-h">Territory quotas</h2>
        <ul class="list" data-testid="territory-quotas">${territoryQuotas.map((q) => {
          const t = suggestion.rows.find((row) => row.territory_id === q.territory_id);
          return html`<li class="list__item list__row"><span class="list__main"><span class="list__title">${t?.name || `Territory ${q.territory_id}`}</span>
            <span class="muted">suggested ${money(t?.suggested_revenue)}</span></span><span>${money(q.revenue)}</span></li>`;
        })}</ul></section>`}`}
  `;
}
