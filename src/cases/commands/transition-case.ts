// Moves a case to another state of the workflow (see workflow.ts), with the reason where one is
// needed, and tells webhooks (`case.state_changed`) in the same transaction.
import type { Principal } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { NotFound } from '../../platform/errors.ts';
import { actorOf, recordCaseChanges } from '../case-events.ts';
import { emitCaseStateChanged } from '../case-webhooks.ts';
import { requireCaseWriter } from '../policy.ts';
import { syncReporterStatus } from '../reporter-thread/reporter-status.ts';
import * as store from '../store.ts';
import { nextState } from '../workflow.ts';

export async function transitionCase(
  deps: Deps,
  principal: Principal,
  caseId: string,
  input: { to: string; reason?: string | undefined },
): Promise<void> {
  requireCaseWriter(principal);
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    const locked = await store.lockCase(trx, caseId);
    if (!locked) throw new NotFound('No such case');
    const move = nextState(locked.state, input.to, { reason: input.reason ?? null });
    await store.updateCase(trx, caseId, { state: move.to }, now);
    const [caseEventId] = await recordCaseChanges(trx, principal, caseId, now, [
      {
        kind: move.reopen ? 'CASE_REOPENED' : 'STATE_CHANGED',
        from: { state: move.from },
        to: { state: move.to },
        reason: move.reason,
      },
    ]);
    await syncReporterStatus(trx, deps, { caseId, state: move.to, actor: actorOf(principal).actor });
    await emitCaseStateChanged(trx, deps.config.publicUrl, {
      row: { ...locked, state: move.to },
      caseEventId: caseEventId as string,
      from: move.from,
      to: move.to,
      reopen: move.reopen,
      at: now,
    });
  });
  deps.wakeWorkers();
}
