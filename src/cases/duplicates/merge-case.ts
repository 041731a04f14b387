// Merges a case into another that covers the same issue: every report of the merged case moves to
// the other as a duplicate (all reports are kept), the merged case goes to `duplicate` through the
// workflow, both cases record it, and every reporter is told, all in one transaction.
// Only a case that is new or in triage can be merged: past triage a case holds decisions of its own
// (confirmed, fixing …) that a merge would silently throw away.
import type { Principal } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { recordCaseChanges } from '../case-events.ts';
import { emitCaseStateChanged } from '../case-webhooks.ts';
import { requireCaseWriter } from '../policy.ts';
import { noticeReportersOfLink } from '../reporter-thread/notices.ts';
import { syncReporterStatus } from '../reporter-thread/reporter-status.ts';
import * as store from '../store.ts';
import { type CaseState, nextState, type Transition } from '../workflow.ts';
import { moveCaseReports } from './duplicate-store.ts';

/** States a case can be merged from; a new case passes through triage on its way to duplicate. */
export const mergeableStates: readonly CaseState[] = ['new', 'triage'];

export type MergeInput = { intoCaseId: string; reason?: string | undefined };

/** The moves that take a mergeable case to `duplicate`, each checked by the workflow. */
function movesToDuplicate(from: CaseState, reason: string): Transition[] {
  const path: CaseState[] = from === 'new' ? ['new', 'triage', 'duplicate'] : [from, 'duplicate'];
  return path.slice(1).map((to, index) => nextState(path[index] as CaseState, to, { reason }));
}

export async function mergeCase(
  deps: Deps,
  principal: Principal,
  caseId: string,
  input: MergeInput,
): Promise<void> {
  requireCaseWriter(principal);
  if (caseId === input.intoCaseId) {
    throw new Invalid({ intoCaseId: 'must be another case' }, 'A case cannot be merged into itself.');
  }
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    // Both rows locked, always in id order, so two merges of the same pair cannot deadlock.
    const locked = new Map<string, store.CaseRow | undefined>();
    for (const id of [caseId, input.intoCaseId].sort()) locked.set(id, await store.lockCase(trx, id));
    const merged = locked.get(caseId);
    const into = locked.get(input.intoCaseId);
    if (!merged) throw new NotFound('No such case');
    if (!into) throw new NotFound('No such case to merge into');
    if (into.state === 'duplicate') {
      throw new Conflict(`${into.number} is itself a duplicate: merge into the case it repeats instead.`);
    }
    if (!mergeableStates.includes(merged.state)) {
      throw new Conflict(
        `${merged.number} is ${merged.state}: only a case that is new or in triage can be merged into another.`,
      );
    }
    const reason = input.reason?.trim() || `Merged into ${into.number}`;
    const moves = movesToDuplicate(merged.state, reason);
    const reports = await moveCaseReports(trx, merged.id, into.id);
    const reportIds = reports.map((report) => report.id);
    await store.updateCase(trx, merged.id, { state: 'duplicate' }, now);
    const eventIds = await recordCaseChanges(trx, principal, merged.id, now, [
      ...moves.map((move) => ({
        kind: 'STATE_CHANGED',
        from: { state: move.from },
        to: { state: move.to },
        reason: move.reason,
      })),
      { kind: 'CASE_MERGED_INTO', to: { caseId: into.id, number: into.number }, reason },
    ]);
    for (const [index, move] of moves.entries()) {
      await emitCaseStateChanged(trx, deps.config.publicUrl, {
        row: { ...merged, state: move.to },
        caseEventId: eventIds[index] as string,
        from: move.from,
        to: move.to,
        reopen: false,
        at: now,
      });
    }
    await recordCaseChanges(trx, principal, into.id, now, [
      { kind: 'REPORTS_MERGED_IN', from: { caseId: merged.id, number: merged.number, reportIds }, reason },
    ]);
    const mails = await noticeReportersOfLink(trx, deps, {
      caseId: into.id,
      linkedReportIds: reportIds,
      actor: `user:${principal.userId}`,
    });
    // The moved reports take the status of the case they joined; the link mail told their reporters.
    await syncReporterStatus(trx, deps, {
      caseId: into.id,
      state: into.state,
      actor: `user:${principal.userId}`,
      mail: false,
    });
    return mails;
  });
  deps.wakeWorkers();
}
