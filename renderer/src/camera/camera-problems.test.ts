import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CAMERA_PROBLEM_TEXT, cameraProblemOf } from './camera-problems.ts';

const refusal = (name: string) => Object.assign(new Error(name), { name });

test('a camera that is missing, busy or denied is said as such, and the scanner keeps working', () => {
  assert.equal(cameraProblemOf(refusal('NotFoundError')), 'missing');
  assert.equal(cameraProblemOf(refusal('OverconstrainedError')), 'missing');
  assert.equal(cameraProblemOf(refusal('NotReadableError')), 'busy');
  assert.equal(cameraProblemOf(refusal('TrackStartError')), 'busy');
  assert.equal(cameraProblemOf(refusal('NotAllowedError')), 'denied');
  assert.equal(cameraProblemOf(refusal('SecurityError')), 'denied');
  assert.equal(cameraProblemOf({ name: 'NotAllowedError' }), 'denied', 'a DOMException-like object');
  assert.equal(cameraProblemOf(new Error('odd')), 'failed');
  assert.equal(cameraProblemOf(undefined), 'failed');
  for (const text of Object.values(CAMERA_PROBLEM_TEXT))
    assert.match(text, /The scanner and typing keep working\.$/);
  assert.match(CAMERA_PROBLEM_TEXT.busy, /in use/);
  assert.match(CAMERA_PROBLEM_TEXT.denied, /not allowed/);
  assert.match(CAMERA_PROBLEM_TEXT.missing, /No camera/);
});
