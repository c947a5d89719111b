import { test } from 'node:test';
import assert from 'node:assert/strict';

// sync.js touches window only inside startSync(); importing it in node is safe.
const { backoffDelay } = await import('../src/lib/sync.js').catch(() => ({}));

test('backoff grows exponentially, is capped, and draws full jitter in [0, cap]', { skip: !backoffDelay }, () => {
  assert.equal(backoffDelay(1, 1000, 60000, () => 0), 0);
  assert.equal(backoffDelay(1, 1000, 60000, () => 1), 2000);
  assert.equal(backoffDelay(4, 1000, 60000, () => 1), 16000);
  assert.equal(backoffDelay(20, 1000, 60000, () => 1), 60000);
  assert.equal(backoffDelay(20, 1000, 60000, () => 0.5), 30000);
});
