// Manager: the month simulator. A form (month, ways of planning, seeds, what-ifs) starts a job on
// the server (POST /api/simulations); its progress bar follows /api/jobs/<id>; the result is a
// table of every figure per policy (mean and range over the seeds) with the first policy's
// paired difference against each other, in better/worse words, and a small chart of one figure.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { usePageTitle } from '../hooks.js';
import { fetchSimulationChoices, jobPercent, pollJob, startSimulation } from '../../lib/manager-api.js';
import {
  comparisonRows, currentMonth, fieldMessages, num, parseSeeds, rangeText, seedsText, toggleScenario, verdictText,
} from '../../lib/simulation.js';
import { SimulationChart } from './simulator-chart.js';

const STATE_LABEL = { queued: 'Waiting for a worker', running: 'Simulating', done: 'Finished', failed: 'Failed' };
const VERDICT_CLASS = { better: 'cell--green', worse: 'cell--red', same: 'cell--none' };
const LUCK = 'traffic, visits that run long, shops found closed, sick days and appointments customers book';
// "FieldRep: the rest of the period ..." -> "FieldRep" for column headings.
const shortName = (label) => label.split(':')[0];
const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);
const sentence = (text) => String(text || 'unknown error').replace(/\.$/, '');

function FieldError({ id, text }) {
  return text ? html`<span id=${id} class="error" data-testid=${id}>${text}</span>` : null;
}

function Form({ choices, busy, errors, onRun }) {
  const [month, setMonth] = useState(currentMonth());
  const [policies, setPolicies] = useState(choices.policies.map((p) => p.name));
  const [seeds, setSeeds] = useState('1-5');
  const [scenario, setScenario] = useState([]);
  const [local, setLocal] = useState({});
  const shown = { ...errors, ...local };

  function submit(e) {
    e.preventDefault();
    const parsed = parseSeeds(seeds);
    const problems = {};
    if (parsed.error) problems.seeds = parsed.error;
    if (!policies.length) problems.policies = 'Tick at least one way of planning.';
    if (!/^\d{4}-\d{2}$/.test(month)) problems.month = 'Give the month as YYYY-MM, such as 2026-12.';
    setLocal(problems);
    if (Object.keys(problems).length) return;
    // The backend's order (FieldRep first), so the differences are FieldRep against the others.
    const ordered = choices.policies.map((p) => p.name).filter((n) => policies.includes(n));
    onRun({ month, policies: ordered, seeds: parsed.seeds, scenario });
  }

  const tick = (list, set, name) => (e) => set(e.target.checked ? [...list, name] : list.filter((n) => n !== name));
  const described = (field, hint) => [hint, shown[field] && `sim-${field}-error`].filter(Boolean).join(' ') || undefined;
  return html`
    <form class="stack" onSubmit=${submit} data-testid="sim-form" noValidate>
      <div class="form-grid form-grid--top">
        <div class="field">
          <label for="sim-month">Month</label>
          <input id="sim-month" type="month" value=${month} onInput=${(e) => setMonth(e.target.value)} aria-invalid=${shown.month ? 'true' : undefined} aria-describedby=${described('month')} />
          <${FieldError} id="sim-month-error" text=${shown.month} />
        </div>
        <div class="field">
          <label for="sim-seeds">Seeds</label>
          <input id="sim-seeds" type="text" value=${seeds} onInput=${(e) => setSeeds(e.target.value)} aria-invalid=${shown.seeds ? 'true' : undefined} aria-describedby=${described('seeds', 'sim-seeds-hint')} />
          <span id="sim-seeds-hint" class="muted">A count (5: seeds 1 to 5) or a list (1, 4, 9 or 1-5), at most ${choices.max_seeds}.</span>
          <${FieldError} id="sim-seeds-error" text=${shown.seeds} />
        </div>
      </div>
      <fieldset class="choice" aria-describedby=${shown.policies ? 'sim-policies-error' : undefined}>
        <legend>Ways of planning to compare</legend>
        ${choices.policies.map((p) => html`<label class="switch"><input type="checkbox" name="policy" value=${p.name} checked=${policies.includes(p.name)} onChange=${tick(policies, setPolicies, p.name)} /> ${p.label}</label>`)}
        <${FieldError} id="sim-policies-error" text=${shown.policies} />
      </fieldset>
      <fieldset class="choice" aria-describedby=${described('scenario', 'sim-scenario-hint')}>
        <legend>What if (optional)</legend>
        <span id="sim-scenario-hint" class="muted">${choices.exclusive.map((g) => `Only one of ${g.map((n) => `“${n}”`).join(' and ')} at a time.`).join(' ')}</span>
        ${choices.scenarios.map((s) => html`<label class="switch"><input type="checkbox" name="scenario" value=${s.name} checked=${scenario.includes(s.name)} onChange=${(e) => setScenario(toggleScenario(scenario, s.name, e.target.checked, choices.exclusive))} /> <span><strong>${s.name}</strong>: ${s.label}</span></label>`)}
        <${FieldError} id="sim-scenario-error" text=${shown.scenario} />
      </fieldset>
      <div><button type="submit" class="btn btn--primary" disabled=${busy}>${busy ? 'Running…' : 'Run'}</button></div>
    </form>`;
}

function DiffCell({ d }) {
  if (!d.stats) return html`<td>–</td>`;
  return html`<td class="num" data-other=${d.other} data-verdict=${d.verdict.word}>
    ${num(d.stats.mean, true)} <span class="cell__sub muted">${rangeText(d.stats, true)}</span>
    <span class=${`cell ${d.verdict.sure ? VERDICT_CLASS[d.verdict.word] : 'cell--amber'}`}>${verdictText(d.verdict)}</span></td>`;
}

function Result({ result, choices }) {
  const [chosen, setChosen] = useState('compliance.all');
  const names = Object.fromEntries(choices.policies.map((p) => [p.name, shortName(p.label)]));
  const rows = comparisonRows(result, choices.figures);
  const first = names[result.differences.of];
  const others = Object.keys(result.differences.vs);
  const figure = choices.figures.find((f) => f.name === chosen) || choices.figures[0];
  const count = result.seeds.length;
  return html`
    <section aria-labelledby="sim-result-h" data-testid="sim-result">
      <h2 id="sim-result-h">Month ${result.month}${result.scenario.length ? `, what if: ${result.scenario.join(', ')}` : ''}</h2>
      <p data-testid="sim-caption">Seeds ${seedsText(result.seeds)}: each seed replays the month with other luck (${LUCK}). Every figure is the mean over the ${count} ${count === 1 ? 'seed' : 'seeds'}, with the lowest and highest seed in brackets: the spread is over the seeds.${others.length ? ` A difference is ${first} minus the other way of planning, seed by seed.` : ''}</p>
      <div class="table-scroll" tabindex="0" role="region" aria-label="Simulation results">
        <table class="data-table" data-testid="sim-table">
          <thead><tr><th scope="col">Figure</th>
            ${result.policies.map((p) => html`<th scope="col" class="num" data-policy=${p}>${names[p]}</th>`)}
            ${others.map((o) => html`<th scope="col" data-diff=${o}>${first} vs ${names[o]}</th>`)}</tr></thead>
          <tbody>${rows.map((r) => html`<tr data-figure=${r.name}>
            <th scope="row">${capital(r.label)}${r.lower_is_better && html`<span class="cell__sub muted">lower is better</span>`}</th>
            ${r.cells.map((c) => html`<td class="num" data-policy=${c.policy}>${num(c.stats?.mean)} <span class="cell__sub muted">${rangeText(c.stats)}</span></td>`)}
            ${r.diffs.map((d) => html`<${DiffCell} d=${d} />`)}</tr>`)}</tbody>
        </table>
      </div>
      <dl class="facts">${result.policies.map((p) => html`<dt>${names[p]}</dt><dd>${choices.policies.find((c) => c.name === p)?.label.split(': ')[1] || ''}</dd>`)}</dl>
      <div class="toolbar">
        <span><label for="sim-figure">Chart of</label>
          <select id="sim-figure" value=${figure.name} onChange=${(e) => setChosen(e.target.value)}>
            ${choices.figures.map((f) => html`<option value=${f.name}>${capital(f.label)}</option>`)}</select></span>
      </div>
      <${SimulationChart} result=${result} figure=${figure} names=${names} />
    </section>`;
}

export function Simulator() {
  const [choices, setChoices] = useState(null);
  const [loadError, setLoadError] = useState('');
  const [job, setJob] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [errors, setErrors] = useState({});
  const stop = useRef(null);
  usePageTitle('Month simulator');
  useEffect(() => {
    fetchSimulationChoices().then(setChoices).catch((err) => setLoadError(err.status === 0 ? 'Offline: the simulator needs a connection.' : err.message));
    return () => stop.current?.();
  }, []);

  async function run(body) {
    stop.current?.();
    setError('');
    setErrors({});
    setJob(null);
    setBusy(true);
    try {
      const started = await startSimulation(body);
      setJob(started);
      stop.current = pollJob(started.url, (j) => {
        setJob(j);
        if (j.state === 'done' || j.state === 'failed') setBusy(false);
      }, { onError: () => { setBusy(false); setError('The simulation is no longer available.'); } });
    } catch (err) {
      setBusy(false);
      if (err.status === 422) {
        setErrors(fieldMessages(err));
        setError('Please correct the fields marked above.');
      } else setError(err.status === 0 ? 'Offline: simulating needs a connection.' : err.message);
    }
  }

  const percent = jobPercent(job);
  return html`
    <h1 tabindex="-1">Month simulator</h1>
    <p class="muted">Replays a month of your team's work under each way of planning, several times with different luck, and compares the figures. Nothing is written; it can take a few minutes for a big team.</p>
    ${loadError && html`<p class="error" role="alert">${loadError}</p>`}
    ${!choices && !loadError && html`<p class="muted">Loading…</p>`}
    ${choices && html`<${Form} choices=${choices} busy=${busy} errors=${errors} onRun=${run} />`}
    ${error && html`<p class="error" role="alert" data-testid="sim-error">${error}</p>`}
    ${job && html`
      <div class="progress-block" data-testid="sim-progress" data-state=${job.state} data-percent=${percent}>
        <label for="sim-bar">${STATE_LABEL[job.state] || job.state}${job.total ? ` · ${job.done ?? 0} of ${job.total} rep-months` : ''}</label>
        <progress id="sim-bar" max="100" value=${percent}>${percent} %</progress>
        <span class="progress-pct" aria-live="polite">${percent} %</span>
      </div>`}
    ${job?.state === 'failed' && html`<p class="error" role="alert" data-testid="sim-failed">The simulation could not run: ${sentence(job.error)}.</p>`}
    ${job?.state === 'done' && choices && html`<${Result} result=${job.result} choices=${choices} />`}
  `;
}
