// The refresh of many cases' next deadlines as a chain of queued jobs, one short transaction per
// batch: after the response policy changes (every case that has a deadline), and once to fill the
// column in on a database that had cases before it existed (every case, queued by migration 0085).
import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { enqueue } from '../../queue/queue.ts';
import type { JobHandler } from '../../queue/workers.ts';
import { refreshNextDue } from './next-due.ts';

export const CASE_NEXT_DUE_REFRESH = 'CASE_NEXT_DUE_REFRESH';

/**
 * `with-deadline`: the cases whose next_due_at is set. A policy moves deadlines but never starts or
 * meets a clock, so a case without a deadline keeps none. `all`: every case (the backfill).
 */
export type RefreshScope = 'with-deadline' | 'all';

type RefreshPayload = {
  scope: RefreshScope;
  /** Keyset cursor: the last case id of the batch before, null to start. */
  after: string | null;
  /** Cases refreshed by the jobs of the chain so far (shown with the job). */
  refreshed: number;
};

export const refreshBatchSize = 500;

/** Queues the first job of a refresh in the caller's transaction (each policy change queues its own). */
export async function queueNextDueRefresh(db: Db, scope: RefreshScope, at: Date): Promise<void> {
  const payload: RefreshPayload = { scope, after: null, refreshed: 0 };
  await enqueue(db, { type: CASE_NEXT_DUE_REFRESH, payload, runAt: at });
}

function parsePayload(payload: unknown): RefreshPayload {
  const p = (payload ?? {}) as Partial<RefreshPayload>;
  if (p.scope !== 'all' && p.scope !== 'with-deadline')
    throw new Error(`bad refresh scope ${String(p.scope)}`);
  return {
    scope: p.scope,
    after: typeof p.after === 'string' ? p.after : null,
    refreshed: Number(p.refreshed) || 0,
  };
}

/**
 * Refreshes one batch and queues the next in the same transaction. The batch's cases are locked first,
 * so a change to one of them in flight commits before it is read again.
 */
async function refreshBatch(
  db: Kysely<DB>,
  job: RefreshPayload,
  jobId: string,
  at: Date,
): Promise<RefreshPayload> {
  return db.transaction().execute(async (trx) => {
    let query = trx.selectFrom('cases').select('id').orderBy('id').limit(refreshBatchSize).forUpdate();
    if (job.scope === 'with-deadline') query = query.where('next_due_at', 'is not', null);
    if (job.after !== null) query = query.where('id', '>', job.after);
    const ids = (await query.execute()).map((row) => row.id);
    await refreshNextDue(trx, ids, at);
    const done = { ...job, after: ids.at(-1) ?? job.after, refreshed: job.refreshed + ids.length };
    if (ids.length === refreshBatchSize) {
      await enqueue(trx, {
        type: CASE_NEXT_DUE_REFRESH,
        payload: done,
        idempotencyKey: `next-due-refresh:after-job:${jobId}`,
        runAt: at,
      });
    }
    return done;
  });
}

/**
 * The CASE_NEXT_DUE_REFRESH job: one batch; the finished job keeps how far the chain got. Workers
 * poll again at once after a batch that ran jobs, so the next batch needs no wake-up.
 */
export const nextDueRefreshJob =
  (deps: Pick<Deps, 'db' | 'clock'>): JobHandler =>
  async (payload, job) => ({
    keptPayload: await refreshBatch(deps.db, parsePayload(payload), String(job.id), deps.clock()),
  });
