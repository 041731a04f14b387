// ROLLOUT_ADVANCE: every minute, and right after each command, each running or completed rollout is
// checked. A stage with at least minReportsBeforeHalt reports and a failure rate above the threshold
// halts the rollout (a completed one too: it still offers its release to devices that missed it); a
// running stage that ran minMinutes with minReports install reports moves on (or completes).
import type { Db } from '../../db/database.ts';
import type { Deps } from '../../deps.ts';
import { enqueue } from '../../queue/queue.ts';
import type { JobHandler } from '../../queue/workers.ts';
import { recordChange } from './commands.ts';
import { queueRolloutPush } from './push.ts';
import { rolloutCache } from './running-cache.ts';
import { rolloutStats } from './stats.ts';
import * as store from './store.ts';

export const ROLLOUT_ADVANCE = 'ROLLOUT_ADVANCE';
const intervalMs = 60_000;

/** Queues the check of the minute after `now` (or the current one); once per minute, whoever queues it. */
export async function scheduleRolloutChecks(db: Db, now: Date, after = false): Promise<void> {
  const slot = Math.floor(now.getTime() / intervalMs) * intervalMs;
  const runAt = new Date(after ? slot + intervalMs : slot);
  await enqueue(db, {
    type: ROLLOUT_ADVANCE,
    payload: { scheduled: true },
    idempotencyKey: `rollout-advance:${runAt.toISOString()}`,
    runAt,
  });
}

/** An immediate check, queued in the caller's transaction (after a command). */
export async function queueRolloutCheck(db: Db, now: Date): Promise<void> {
  await enqueue(db, { type: ROLLOUT_ADVANCE, payload: { scheduled: false }, runAt: now });
}

export type AdvanceOutcome = 'halted' | 'advanced' | 'completed' | 'unchanged';

/** Checks one rollout under its row lock; answers what happened. */
export async function checkRollout(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  id: string,
): Promise<AdvanceOutcome> {
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const rollout = await store.lockRollout(trx, id);
    // A completed rollout still offers its release to devices that missed it: it still halts.
    if (rollout?.state !== 'running' && rollout?.state !== 'completed') return 'unchanged';
    // Only reports received since the stage started (or since a halted rollout was resumed) count,
    // so a resumed rollout is judged on new evidence, not halted again by the failures reviewed.
    const since = rollout.stageStartedAt ?? undefined;
    const stats = (await rolloutStats(trx, rollout, since))[rollout.currentStage];
    const stage = rollout.stages[rollout.currentStage];
    if (!stats || !stage) return 'unchanged';
    const numbers = {
      reports: stats.reports,
      failed: stats.failed,
      installed: stats.installed,
      offered: stats.offered,
      failureRate: stats.failureRate,
      failureThreshold: rollout.failureThreshold,
    };
    if (stats.reports >= rollout.minReportsBeforeHalt && stats.failureRate * 100 > rollout.failureThreshold) {
      await store.updateRolloutState(trx, id, { state: 'halted' }, now);
      const reason = `${stats.failed} of ${stats.reports} install reports failed (${(stats.failureRate * 100).toFixed(1)}% > ${rollout.failureThreshold}%)`;
      await recordChange(
        trx,
        'system',
        {
          rolloutId: id,
          action: 'HALTED',
          from: rollout.state,
          to: 'halted',
          stage: rollout.currentStage,
          reason,
        },
        now,
        numbers,
      );
      return 'halted';
    }
    if (rollout.state === 'completed') return 'unchanged';
    const ranMs = now.getTime() - (rollout.stageStartedAt ?? now).getTime();
    if (ranMs < stage.minMinutes * 60_000 || stats.reports < stage.minReports) return 'unchanged';
    const last = rollout.currentStage === rollout.stages.length - 1;
    if (last) {
      await store.updateRolloutState(trx, id, { state: 'completed' }, now);
      await recordChange(
        trx,
        'system',
        { rolloutId: id, action: 'COMPLETED', from: 'running', to: 'completed', stage: rollout.currentStage },
        now,
        numbers,
      );
      return 'completed';
    }
    const next = rollout.currentStage + 1;
    await store.updateRolloutState(
      trx,
      id,
      { state: 'running', currentStage: next, stageStartedAt: now },
      now,
    );
    await recordChange(
      trx,
      'system',
      { rolloutId: id, action: 'ADVANCED', from: 'running', to: 'running', stage: next },
      now,
      { ...numbers, fromStage: rollout.currentStage, percent: rollout.stages[next]?.percent },
    );
    await queueRolloutPush(
      trx,
      deps.config,
      {
        rolloutId: id,
        fromPercent: stage.percent,
        toPercent: rollout.stages[next]?.percent ?? 100,
        stage: next,
      },
      now,
    );
    return 'advanced';
  });
}

export const rolloutAdvanceJob =
  (deps: Pick<Deps, 'db' | 'clock' | 'config'>): JobHandler =>
  async (payload) => {
    if ((payload as { scheduled?: boolean } | null)?.scheduled)
      await scheduleRolloutChecks(deps.db, deps.clock(), true);
    let changed = false;
    for (const id of await store.runningRolloutIds(deps.db)) {
      if ((await checkRollout(deps, id)) !== 'unchanged') changed = true;
    }
    if (changed) rolloutCache(deps).invalidate();
  };
