// Admin: CSV import of accounts as a background job, with a progress bar fed by polling
// /api/jobs/<id>, then the row report (errors by row number). A dry run checks without writing.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { usePageTitle } from '../hooks.js';
import { jobPercent, pollJob, startImport } from '../../lib/manager-api.js';

const STATE_LABEL = { queued: 'Waiting for a worker', running: 'Importing', done: 'Finished', failed: 'Failed' };

function Report({ report }) {
  const errors = report.errors || [];
  return html`
    <section aria-labelledby="report-h" data-testid="import-report">
      <h2 id="report-h">${report.dry_run ? 'Dry run report' : 'Import report'}</h2>
      <p role="status" data-testid="import-summary">${report.written ? 'Written' : 'Nothing written'}: ${report.rows} rows, ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged${errors.length ? `, ${errors.length} rows with errors` : ''}.</p>
      ${errors.length > 0 && html`
        <div class="table-scroll" tabindex="0" role="region" aria-label="Rows with errors">
          <table class="data-table" data-testid="import-errors">
            <thead><tr><th scope="col">Row</th><th scope="col">Field</th><th scope="col">Problem</th></tr></thead>
            <tbody>${errors.flatMap((e) => Object.entries(e.errors || {}).map(([field, msgs]) => html`<tr>
              <th scope="row">${e.row}</th><td>${field}</td><td>${[].concat(msgs).join(' ')}</td></tr>`))}</tbody>
          </table>
        </div>`}
    </section>`;
}

export function AdminImport() {
  const [file, setFile] = useState(null);
  const [dryRun, setDryRun] = useState(false);
  const [job, setJob] = useState(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const stop = useRef(null);
  usePageTitle('Import accounts');
  useEffect(() => () => stop.current?.(), []);

  async function submit(e) {
    e.preventDefault();
    if (!file) {
      setError('Choose a CSV file first.');
      return;
    }
    setError('');
    setJob(null);
    setBusy(true);
    try {
      const started = await startImport(file, { dryRun });
      setJob(started);
      stop.current = pollJob(started.url, (j) => {
        setJob(j);
        if (j.state === 'done' || j.state === 'failed') setBusy(false);
      }, { onError: () => { setBusy(false); setError('The import job is no longer available.'); } });
    } catch (err) {
      setBusy(false);
      setError(err.status === 0 ? 'Offline: importing needs a connection.' : err.message);
    }
  }

  const percent = jobPercent(job);
  const report = job?.state === 'done' ? job.result : null;
  return html`
    <h1 tabindex="-1">Import accounts</h1>
    <p class="muted">A CSV export from your CRM: one account per row. Nothing is written when any row is wrong; the report names each row.</p>
    <form class="stack narrow" onSubmit=${submit} data-testid="import-form">
      <label for="import-file">CSV file</label>
      <input id="import-file" type="file" accept=".csv,text/csv" onChange=${(e) => setFile(e.target.files[0] || null)} />
      <label class="switch"><input type="checkbox" checked=${dryRun} onChange=${(e) => setDryRun(e.target.checked)} /> Dry run (check only, write nothing)</label>
      <button type="submit" class="btn btn--primary" disabled=${busy}>${busy ? 'Importing…' : 'Start import'}</button>
    </form>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${job && html`
      <div class="progress-block" data-testid="import-progress" data-state=${job.state} data-percent=${percent}>
        <label for="import-bar">${STATE_LABEL[job.state] || job.state}${job.total ? ` · ${job.done ?? 0} of ${job.total} rows` : ''}</label>
        <progress id="import-bar" max="100" value=${percent}>${percent} %</progress>
        <span class="progress-pct" aria-live="polite">${percent} %</span>
      </div>`}
    ${job?.state === 'failed' && html`<p class="error" role="alert">The import failed: ${job.error || 'unknown error'}.</p>`}
    ${report && html`<${Report} report=${report} />`}
  `;
}
