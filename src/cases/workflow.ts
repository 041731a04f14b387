// The case state machine, as data: which state may follow which, and which moves need a reason.
// Pure: no database, no clock. Services call nextState before writing a STATE_CHANGED event.
import { Conflict, Invalid } from '../platform/errors.ts';

export const caseStates = [
  'new',
  'triage',
  'confirmed',
  'not-a-vulnerability',
  'duplicate',
  'out-of-scope',
  'fixing',
  'fix-available',
  'disclosed',
  'closed',
] as const;

export type CaseState = (typeof caseStates)[number];

export const isCaseState = (value: string): value is CaseState => caseStates.includes(value as CaseState);

/** Moves back to triage from a state where the case had been put to rest. */
const reopenable: readonly CaseState[] = ['closed', 'not-a-vulnerability', 'out-of-scope', 'duplicate'];

/** The legal moves from each state; nothing else is allowed (a state never moves to itself). */
export const transitions: Readonly<Record<CaseState, readonly CaseState[]>> = {
  new: ['triage'],
  triage: ['confirmed', 'not-a-vulnerability', 'duplicate', 'out-of-scope'],
  confirmed: ['fixing'],
  fixing: ['fix-available'],
  'fix-available': ['disclosed'],
  disclosed: ['closed'],
  closed: ['triage'],
  'not-a-vulnerability': ['triage'],
  duplicate: ['triage'],
  'out-of-scope': ['triage'],
};

/** Moves into these states must say why: the reason is kept in the event and shown in the timeline. */
const reasonRequiredTo: readonly CaseState[] = ['not-a-vulnerability', 'out-of-scope', 'duplicate'];

export type Transition = { from: CaseState; to: CaseState; reopen: boolean; reason: string | null };

/** Whether moving from `from` to `to` is a reopening (back to triage from a state at rest). */
export const isReopen = (from: CaseState, to: CaseState) => to === 'triage' && reopenable.includes(from);

/** Whether the move needs a reason (a reopening, or a decision that the report needs no fix). */
export const needsReason = (from: CaseState, to: CaseState) =>
  reasonRequiredTo.includes(to) || isReopen(from, to);

/**
 * Checks one move; throws Invalid for an unknown target or a missing reason, Conflict for a move
 * the workflow does not allow (the message lists the moves that are allowed).
 *
 * @example nextState('triage', 'out-of-scope', { reason: 'Third-party cloud service, not our device' })
 */
export function nextState(from: CaseState, to: string, options: { reason?: string | null } = {}): Transition {
  if (!isCaseState(to)) throw new Invalid({ to: `must be one of ${caseStates.join(', ')}` });
  const allowed = transitions[from];
  if (!allowed.includes(to)) {
    const way = allowed.length > 0 ? `from ${from} it can go to ${allowed.join(' or ')}` : 'it cannot move';
    const what = from === to ? `The case is already ${to}` : `A case cannot go from ${from} to ${to}`;
    throw new Conflict(`${what}: ${way}.`);
  }
  const reason = options.reason?.trim() || null;
  const reopen = isReopen(from, to);
  if (needsReason(from, to) && reason === null) {
    const why = reopen ? `Reopening a case that is ${from}` : `Moving a case to ${to}`;
    throw new Invalid({ reason: `${why} needs a reason` }, `${why} needs a reason.`);
  }
  return { from, to, reopen, reason };
}
