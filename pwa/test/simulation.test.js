// Unit tests for the month simulator's helpers (no browser needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  comparisonRows, currentMonth, fieldMessages, num, parseSeeds, rangeText, seedsText, toggleScenario, verdict, verdictText,
} from '../src/lib/simulation.js';

test('seeds: a count, a range or a list; mistakes in words', () => {
  assert.deepEqual(parseSeeds('5').seeds, [1, 2, 3, 4, 5]);
  assert.deepEqual(parseSeeds('1-5').seeds, [1, 2, 3, 4, 5]);
  assert.deepEqual(parseSeeds('2, 7 11,2').seeds, [2, 7, 11]);
  assert.deepEqual(parseSeeds('3-4, 9').seeds, [3, 4, 9]);
  assert.match(parseSeeds('').error, /number of seeds/);
  assert.match(parseSeeds('0').error, /at least one/);
  assert.match(parseSeeds('a, 2').error, /"a" is not a seed/);
  assert.match(parseSeeds('5-2').error, /backwards/);
  assert.equal(seedsText([1, 2, 3, 4, 5]), '1–5');
  assert.equal(seedsText([1, 2]), '1, 2');
  assert.equal(seedsText([2, 7]), '2, 7');
});

test('the current month and the table numbers read like the terminal report', () => {
  assert.equal(currentMonth(new Date(2026, 11, 4)), '2026-12');
  assert.equal(num(1234.5), '1,235');
  assert.equal(num(12.345), '12.3');
  assert.equal(num(0.5), '0.50');
  assert.equal(num(2, true), '+2.00');
  assert.equal(num(-2), '−2.00');
  assert.equal(num(null), '–');
  assert.equal(rangeText({ mean: 1, min: 1, max: 1 }), '');
  assert.equal(rangeText({ mean: 1, min: -1, max: 3 }, true), '[−1.00, +3.00]');
});

test('ticking one of an exclusive pair of scenarios unticks the other', () => {
  const ex = [['leave', 'leave-unmanaged']];
  assert.deepEqual(toggleScenario(['leave', 'tier-a-x2'], 'leave-unmanaged', true, ex), ['tier-a-x2', 'leave-unmanaged']);
  assert.deepEqual(toggleScenario(['leave'], 'leave', false, ex), []);
  assert.deepEqual(toggleScenario(['leave'], 'proposal', true, ex), ['leave', 'proposal']);
});

test('a difference is better or worse by the figure’s direction, and sure only if every seed agrees', () => {
  assert.deepEqual(verdict({ mean: 3, min: 1, max: 5 }, false), { word: 'better', sure: true });
  assert.deepEqual(verdict({ mean: 3, min: -1, max: 5 }, false), { word: 'better', sure: false });
  assert.deepEqual(verdict({ mean: 3, min: 1, max: 5 }, true), { word: 'worse', sure: true });
  assert.deepEqual(verdict({ mean: -3, min: -5, max: -1 }, true), { word: 'better', sure: true });
  assert.deepEqual(verdict({ mean: -3, min: -5, max: 2 }, true), { word: 'better', sure: false });
  assert.deepEqual(verdict({ mean: 0, min: 0, max: 0 }, true), { word: 'same', sure: true });
  assert.equal(verdictText({ word: 'worse', sure: false }), 'worse on average, not on every seed');
  assert.equal(verdictText({ word: 'better', sure: true }), 'better on every seed');
});

test('the comparison becomes one row per figure with each policy and each difference', () => {
  const s = (mean) => ({ mean, min: mean - 1, max: mean + 1 });
  const result = {
    policies: ['fieldrep', 'day'], seeds: [1, 2],
    summary: { fieldrep: { km: s(90) }, day: { km: s(100) } },
    differences: { of: 'fieldrep', vs: { day: { km: s(-10) } } },
  };
  const [row] = comparisonRows(result, [{ name: 'km', label: 'km driven', lower_is_better: true }]);
  assert.deepEqual(row.cells.map((c) => c.stats.mean), [90, 100]);
  assert.equal(row.diffs[0].other, 'day');
  assert.deepEqual(row.diffs[0].verdict, { word: 'better', sure: true });
});

test('422 field messages flatten list items', () => {
  const err = { body: { errors: { json: { seeds: { 0: ['Must be at least 0.'] }, month: ['Bad month.'] } } } };
  assert.deepEqual(fieldMessages(err), { seeds: 'Must be at least 0.', month: 'Bad month.' });
});
