// What a rep reads when something fails: our words, never the browser's or the server's text.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { friendlyError } from '../src/lib/steer.js';
import { ApiError } from '../src/lib/api.js';

const RAW = 'Traceback (most recent call last): sqlalchemy.exc.OperationalError';

test('server and browser failures are worded for the rep, never passed through', () => {
  for (const err of [new ApiError(500, { message: RAW }), new ApiError(502, null), new ApiError(418, { message: RAW }),
    new TypeError('Failed to fetch'), new ApiError(0, null, 'net::ERR_INTERNET_DISCONNECTED')]) {
    const text = friendlyError(err, 'Could not book');
    assert.ok(text.startsWith('Could not book'), text);
    assert.ok(!text.includes('Traceback') && !text.includes('Failed to fetch') && !text.includes('ERR_') && !/\b5\d\d\b/.test(text), text);
  }
  assert.match(friendlyError(new ApiError(0, null), 'Could not book'), /offline/);
});

test('a 422 shows the first field message, also when it is nested', () => {
  const nested = new ApiError(422, { message: RAW, errors: { json: { order: { 0: ['Not a valid integer.'] } } } });
  assert.equal(friendlyError(nested, 'Could not move'), 'Could not move: Not a valid integer.');
  const flat = new ApiError(422, { errors: { json: { date: ['No place on that day\u2019s route keeps every stop inside its hours.'] } } });
  assert.match(friendlyError(flat, 'Could not book'), /No place on that day/);
  assert.equal(friendlyError(new ApiError(422, { message: RAW }), 'Could not book'), 'Could not book: check the input');
});
