import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { byteRangeOf } from './byte-range.ts';

describe('byteRangeOf', () => {
  it('answers the whole file without a header or with one it cannot read', () => {
    assert.deepEqual(byteRangeOf(undefined, 100), { kind: 'full' });
    assert.deepEqual(byteRangeOf('items=0-5', 100), { kind: 'full' });
    assert.deepEqual(byteRangeOf('bytes=0-5,10-20', 100), { kind: 'full' }, 'several ranges: whole file');
    assert.deepEqual(byteRangeOf('bytes=-', 100), { kind: 'full' });
    assert.deepEqual(
      byteRangeOf('bytes=9-3', 100),
      { kind: 'full' },
      'last before first is invalid: ignored',
    );
  });

  it('reads first-last, open-ended and suffix ranges', () => {
    assert.deepEqual(byteRangeOf('bytes=0-9', 100), { kind: 'partial', start: 0, end: 9 });
    assert.deepEqual(byteRangeOf('bytes=90-', 100), { kind: 'partial', start: 90, end: 99 });
    assert.deepEqual(byteRangeOf('bytes=90-500', 100), { kind: 'partial', start: 90, end: 99 }, 'clipped');
    assert.deepEqual(byteRangeOf('bytes=-10', 100), { kind: 'partial', start: 90, end: 99 });
    assert.deepEqual(byteRangeOf('bytes=-500', 100), { kind: 'partial', start: 0, end: 99 });
    assert.deepEqual(byteRangeOf(' bytes = 5 - 6 ', 100), { kind: 'partial', start: 5, end: 6 });
  });

  it('refuses a range past the end, and an empty suffix', () => {
    assert.deepEqual(byteRangeOf('bytes=100-', 100), { kind: 'unsatisfiable' });
    assert.deepEqual(byteRangeOf('bytes=100-200', 100), { kind: 'unsatisfiable' });
    assert.deepEqual(byteRangeOf('bytes=-0', 100), { kind: 'unsatisfiable' });
    assert.deepEqual(byteRangeOf('bytes=0-', 0), { kind: 'unsatisfiable' });
  });
});
