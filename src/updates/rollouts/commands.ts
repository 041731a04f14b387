// What people do to a rollout (create, start, pause, resume, abort) and what the advance job does
// (advance, complete, halt). Each change is a rollout event and an audit entry in one transaction,
// followed by an immediate ROLLOUT_ADVANCE check and a refresh of this process's rollout cache.
import { type Principal, requireRole, supplierScope } from '../../auth/access.ts';
import type { Db } from '../../db/database.ts';
import type { RolloutState } from '../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { actorId, appendAudit } from '../../platform/audit.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { findRelease } from '../releases/store.ts';
import { queueRolloutCheck } from './jobs.ts';
import { queueRolloutPush } from './push.ts';
import { checkRolloutInput, type RolloutInput } from './rollout-spec.ts';
import { rolloutCache } from './running-cache.ts';
import * as store from './store.ts';

export type RolloutAction = 'start' | 'pause' | 'resume' | 'abort';

/** Which states each action leaves from, and where it goes. */
const transitions: Record<RolloutAction, { from: RolloutState[]; to: RolloutState }> = {
  start: { from: ['draft'], to: 'running' },
  pause: { from: ['running'], to: 'paused' },
  resume: { from: ['paused', 'halted'], to: 'running' },
  // Aborting a completed rollout stops it offering the release to devices that missed it.
  abort: { from: ['draft', 'running', 'paused', 'halted', 'completed'], to: 'aborted' },
};

const labelOf = (principal: Principal) =>
  principal.via === 'token' ? `${principal.email} (API token)` : principal.email;

export async function createRollout(deps: Deps, principal: Principal, input: RolloutInput) {
  requireRole(principal, 'admin', 'analyst');
  const release = await findRelease(deps.db, input.releaseId, null);
  if (!release) throw new Invalid({ releaseId: 'names no release' });
  const spec = checkRolloutInput(input, {
    hardwareRevisions: release.hardware_revisions,
    state: release.state,
  });
  if (release.state === 'withdrawn') throw new Conflict('This release is withdrawn: it cannot be rolled out');
  const now = deps.clock();
  const id = await deps.db.transaction().execute(async (trx) => {
    const id = await store.insertRollout(
      trx,
      spec,
      { id: actorId(principal), label: labelOf(principal) },
      now,
    );
    await recordChange(
      trx,
      principal,
      { rolloutId: id, action: 'CREATED', from: null, to: 'draft', stage: 0 },
      now,
      {
        releaseId: spec.releaseId,
        selector: spec.selector,
        stages: spec.stages,
        failureThreshold: spec.failureThreshold,
        minReportsBeforeHalt: spec.minReportsBeforeHalt,
        mode: spec.mode,
        maintenanceWindow: spec.maintenanceWindow,
      },
    );
    return id;
  });
  return getRollout(deps, principal, id);
}

export async function getRollout(deps: Deps, principal: Principal, id: string): Promise<store.Rollout> {
  const rollout = await store.findRollout(deps.db, id, supplierScope(principal));
  if (!rollout) throw new NotFound('No such rollout');
  return rollout;
}

/** start | pause | resume | abort, by a person; resume of a halted rollout and abort need a reason. */
export async function changeRollout(
  deps: Deps,
  principal: Principal,
  id: string,
  action: RolloutAction,
  reason: string | undefined,
): Promise<store.Rollout> {
  requireRole(principal, 'admin', 'analyst');
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    const rollout = await store.lockRollout(trx, id);
    if (!rollout) throw new NotFound('No such rollout');
    const rule = transitions[action];
    if (!rule.from.includes(rollout.state)) {
      throw new Conflict(
        `A ${rollout.state} rollout cannot ${action}; ${action} applies to ${rule.from.join(', ')} rollouts`,
      );
    }
    if ((action === 'abort' || rollout.state === 'halted') && !reason?.trim()) {
      throw new Invalid({
        reason:
          action === 'abort' ? 'say why the rollout is aborted' : 'say what the review of the halt found',
      });
    }
    if ((action === 'start' || action === 'resume') && rollout.releaseState !== 'signed') {
      throw new Conflict(
        rollout.releaseState === 'withdrawn'
          ? 'The release is withdrawn: abort this rollout'
          : 'The release is not signed yet: devices could not verify it (sign the targets first)',
      );
    }
    const stageStart = action === 'start' || (action === 'resume' && rollout.state === 'halted');
    await store.updateRolloutState(
      trx,
      id,
      { state: rule.to, ...(stageStart ? { stageStartedAt: now } : {}) },
      now,
    );
    await recordChange(
      trx,
      principal,
      {
        rolloutId: id,
        action: action.toUpperCase(),
        from: rollout.state,
        to: rule.to,
        stage: rollout.currentStage,
        reason,
      },
      now,
      {},
    );
    if (action === 'start') {
      const first = rollout.stages[0]?.percent ?? 0;
      await queueRolloutPush(
        trx,
        deps.config,
        { rolloutId: id, fromPercent: 0, toPercent: first, stage: 0 },
        now,
      );
    }
    await queueRolloutCheck(trx, now);
  });
  rolloutCache(deps).invalidate();
  deps.wakeWorkers();
  return getRollout(deps, principal, id);
}

export type Change = {
  rolloutId: string;
  action: string;
  from: RolloutState | null;
  to: RolloutState;
  stage: number;
  reason?: string | undefined;
};

/** The rollout event and its audit entry, in the caller's transaction. */
export async function recordChange(
  db: Db,
  actor: Principal | 'system',
  change: Change,
  now: Date,
  detail: Record<string, unknown>,
): Promise<void> {
  await store.insertRolloutEvent(db, {
    rolloutId: change.rolloutId,
    at: now,
    actor: actorId(actor),
    actorLabel: actor === 'system' ? 'system' : labelOf(actor),
    action: change.action,
    fromState: change.from,
    toState: change.to,
    stage: change.stage,
    reason: change.reason?.trim() || null,
    detail,
  });
  await appendAudit(db, {
    actor,
    action: `ROLLOUT_${change.action}`,
    subjectType: 'rollout',
    subjectId: change.rolloutId,
    detail: {
      from: change.from,
      to: change.to,
      stage: change.stage,
      reason: change.reason ?? null,
      ...detail,
    },
    at: now,
  });
}
