// Unit tests for the manager/admin helpers (no browser needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { periodChoices, quarterLabel, weekLabel } from '../src/lib/periods.js';
import { csvHref, expectedText, jobPercent, pivotCurrent, qs } from '../src/lib/manager-api.js';
import { loadLevel } from '../src/lib/load-map.js';

test('period labels match the backend (ISO weeks across the year end, quarters)', () => {
  assert.equal(weekLabel('2026-12-03'), '2026-W49');
  assert.equal(weekLabel('2021-01-03'), '2020-W53');
  assert.equal(weekLabel('2024-12-30'), '2025-W01');
  assert.equal(quarterLabel('2026-12-03'), '2026-Q4');
  assert.equal(quarterLabel('2026-04-01'), '2026-Q2');
  const values = periodChoices('2026-01-05').map((c) => c.value);
  assert.deepEqual(values, ['2026-W02', '2026-01', '2026-Q1', '2025-12', '2025-Q4']);
});

test('expected-by-today text: nothing expected early in a period is not a failure', () => {
  assert.equal(expectedText({ required: 8, expected: 0, on_track: 0 }), 'nothing expected yet');
  assert.equal(expectedText({ required: 8, expected: 3, on_track: 2 }), '2 of 3 expected by today');
  assert.equal(expectedText(undefined), 'no plan');
  assert.equal(expectedText({ required: 0, expected: 0 }), 'no plan');
});

test('current blocks pivot into one row per rep with a cell per period kind', () => {
  const body = { blocks: [
    { kind: 'week', rows: [], total: { required: 0 } },
    { kind: 'month', rows: [{ rep_id: 2, rep_name: 'Bo', required: 5 }, { rep_id: 1, rep_name: 'Al', required: 3 }], total: { required: 8 } },
    { kind: 'quarter', rows: [{ rep_id: 1, rep_name: 'Al', required: 1 }], total: { required: 1 } },
  ] };
  const p = pivotCurrent(body);
  assert.deepEqual(p.rows.map((r) => r.name), ['Al', 'Bo']);
  assert.equal(p.rows[0].byKind.quarter.required, 1);
  assert.equal(p.rows[1].byKind.quarter, undefined);
  assert.equal(p.totals.month.required, 8);
});

test('query strings drop empty filters; CSV links ask the backend for format=csv', () => {
  assert.equal(qs({ period: '2026-11', tier: '', rep_id: null, page: 2 }), 'period=2026-11&page=2');
  assert.equal(csvHref('/api/reports/compliance/overdue', { period: '2026-11', tier: 'A' }),
    '/api/reports/compliance/overdue?period=2026-11&tier=A&format=csv');
});

test('job percent: 0 while queued, the progress while running, 100 when done', () => {
  assert.equal(jobPercent(null), 0);
  assert.equal(jobPercent({ state: 'queued', progress: 0 }), 0);
  assert.equal(jobPercent({ state: 'running', progress: 0.456 }), 46);
  assert.equal(jobPercent({ state: 'done', progress: 0.99 }), 100);
});

test('load levels: over above 100 %, under below 70 %', () => {
  assert.equal(loadLevel(101), 'over');
  assert.equal(loadLevel(100), 'ok');
  assert.equal(loadLevel(70), 'ok');
  assert.equal(loadLevel(69.9), 'under');
});
