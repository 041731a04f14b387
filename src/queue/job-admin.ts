// What staff see of the queue: counts by type and state, the newest jobs with their last error,
// and putting a job that failed for good back in the queue (audited).
import type { Principal } from '../auth/access.ts';
import type { Deps } from '../deps.ts';
import { appendAudit } from '../platform/audit.ts';
import { Conflict, NotFound } from '../platform/errors.ts';
import { jobCounts, listJobs, requeueFailedJob } from './queue.ts';

export async function jobsOverview(
  deps: Deps,
  filter: {
    state?: string | undefined;
    type?: string | undefined;
    before?: string | undefined;
    limit: number;
  },
) {
  const [counts, items] = await Promise.all([jobCounts(deps.db), listJobs(deps.db, filter)]);
  return { counts, items };
}

export async function retryJob(deps: Deps, principal: Principal, jobId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const job = await trx
      .selectFrom('jobs')
      .select(['id', 'type', 'state'])
      .where('id', '=', jobId)
      .executeTakeFirst();
    if (!job) throw new NotFound('No such job');
    if (!(await requeueFailedJob(trx, jobId, deps.clock()))) {
      throw new Conflict(`Only a job that failed can be retried; this one is ${job.state}.`);
    }
    await appendAudit(trx, {
      actor: principal,
      action: 'JOB_RETRIED',
      subjectType: 'job',
      subjectId: jobId,
      detail: { type: job.type },
      at: deps.clock(),
    });
  });
  deps.wakeWorkers();
}
