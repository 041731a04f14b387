import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Conflict, Invalid } from '../platform/errors.ts';
import { type CaseState, caseStates, nextState } from './workflow.ts';

// The whole table, written out by hand (not derived from the module): for each state, the states it
// may move to, with 'reason' where the move is refused without one. Every other pair is illegal.
const expected: Record<CaseState, Partial<Record<CaseState, 'ok' | 'reason'>>> = {
  new: { triage: 'ok' },
  triage: {
    confirmed: 'ok',
    'not-a-vulnerability': 'reason',
    duplicate: 'reason',
    'out-of-scope': 'reason',
  },
  confirmed: { fixing: 'ok' },
  fixing: { 'fix-available': 'ok' },
  'fix-available': { disclosed: 'ok' },
  disclosed: { closed: 'ok' },
  closed: { triage: 'reason' },
  'not-a-vulnerability': { triage: 'reason' },
  duplicate: { triage: 'reason' },
  'out-of-scope': { triage: 'reason' },
};

describe('case workflow', () => {
  it('knows exactly the ten states of the issue', () => {
    assert.deepEqual([...caseStates].sort(), Object.keys(expected).sort());
  });

  for (const from of caseStates) {
    for (const to of caseStates) {
      const rule = expected[from][to];
      if (rule === undefined) {
        it(`refuses ${from} → ${to} as a conflict, with or without a reason`, () => {
          assert.throws(() => nextState(from, to, { reason: 'because' }), Conflict);
          assert.throws(() => nextState(from, to), Conflict);
        });
      } else if (rule === 'ok') {
        it(`allows ${from} → ${to} without a reason`, () => {
          assert.deepEqual(nextState(from, to), { from, to, reopen: false, reason: null });
        });
      } else {
        it(`allows ${from} → ${to} only with a reason`, () => {
          assert.throws(() => nextState(from, to), Invalid);
          assert.throws(() => nextState(from, to, { reason: '   ' }), Invalid);
          const moved = nextState(from, to, { reason: ' Seen again on 2.4.1 ' });
          assert.deepEqual(moved, { from, to, reopen: to === 'triage', reason: 'Seen again on 2.4.1' });
        });
      }
    }
  }

  it('names the allowed moves when it refuses one', () => {
    assert.throws(
      () => nextState('new', 'closed'),
      (error: Error) =>
        error instanceof Conflict &&
        error.message === 'A case cannot go from new to closed: from new it can go to triage.',
    );
    assert.throws(() => nextState('fixing', 'fixing'), /already fixing/);
  });

  it('refuses a state that does not exist as invalid input', () => {
    assert.throws(
      () => nextState('triage', 'resolved'),
      (error: Error) => error instanceof Invalid && 'to' in error.fields,
    );
  });
});
