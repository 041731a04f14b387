// The one durable job queue: a table in the same database, claimed with FOR UPDATE SKIP LOCKED.
// A job is written in the same transaction as the change that causes it, so neither exists alone.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB, Job } from '../db/schema.ts';

export type JobRequest = {
  type: string;
  payload: unknown;
  /** A second job with the same key is not queued again. */
  idempotencyKey?: string;
  runAt?: Date;
  maxAttempts?: number;
};

export async function enqueue(db: Kysely<DB> | Transaction<DB>, job: JobRequest): Promise<void> {
  await db
    .insertInto('jobs')
    .values({
      type: job.type,
      payload: JSON.stringify(job.payload),
      idempotency_key: job.idempotencyKey ?? null,
      ...(job.runAt ? { run_at: job.runAt } : {}),
      ...(job.maxAttempts ? { max_attempts: job.maxAttempts } : {}),
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
}

/** Claims up to `limit` due jobs of the given types; a claim expires after `leaseMs` (crashed worker). */
export async function claimJobs(
  db: Kysely<DB>,
  options: { types: string[]; limit: number; leaseMs: number; now: Date },
): Promise<Job[]> {
  const leaseEnd = new Date(options.now.getTime() + options.leaseMs);
  const due = db
    .selectFrom('jobs')
    .select('id')
    .where('type', 'in', options.types)
    .where((eb) =>
      eb.or([
        eb.and([eb('state', '=', 'queued'), eb('run_at', '<=', options.now)]),
        eb.and([eb('state', '=', 'running'), eb('locked_until', '<', options.now)]),
      ]),
    )
    .orderBy('run_at')
    .limit(options.limit)
    .forUpdate()
    .skipLocked();
  return db
    .updateTable('jobs')
    .set({ state: 'running', attempts: sql`attempts + 1`, locked_until: leaseEnd })
    .where('id', 'in', due)
    .returningAll()
    .execute();
}

/** Marks a job done; `keptPayload`, when given, replaces its payload in the same update. */
export async function completeJob(
  db: Kysely<DB>,
  id: string,
  now: Date,
  options: { keptPayload?: unknown } = {},
): Promise<void> {
  await db
    .updateTable('jobs')
    .set({
      state: 'done',
      finished_at: now,
      locked_until: null,
      last_error: null,
      ...('keptPayload' in options ? { payload: JSON.stringify(options.keptPayload) } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Records a failure: retried later with exponential backoff, or failed for good after the last attempt. */
export async function failJob(db: Kysely<DB>, job: Job, error: string, now: Date): Promise<void> {
  const final = job.attempts >= job.max_attempts;
  const backoffMs = Math.min(60 * 60_000, 2 ** job.attempts * 1000);
  await db
    .updateTable('jobs')
    .set({
      state: final ? 'failed' : 'queued',
      last_error: error.slice(0, 4000),
      locked_until: null,
      run_at: new Date(now.getTime() + backoffMs),
      ...(final ? { finished_at: now } : {}),
    })
    .where('id', '=', job.id)
    .execute();
}

export async function jobCounts(db: Kysely<DB>) {
  return db
    .selectFrom('jobs')
    .select(['type', 'state', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy(['type', 'state'])
    .execute();
}

export type JobListing = Omit<Job, 'payload' | 'idempotency_key' | 'locked_until'>;

/**
 * The newest jobs first (for the console's jobs page), without payloads: a payload may hold a mail
 * body or a link that only its worker should read.
 */
export async function listJobs(
  db: Kysely<DB>,
  filter: {
    state?: string | undefined;
    type?: string | undefined;
    before?: string | undefined;
    limit: number;
  },
): Promise<JobListing[]> {
  let query = db
    .selectFrom('jobs')
    .select([
      'id',
      'type',
      'state',
      'attempts',
      'max_attempts',
      'run_at',
      'last_error',
      'created_at',
      'finished_at',
    ])
    .orderBy('id', 'desc')
    .limit(filter.limit);
  if (filter.state) query = query.where('state', '=', filter.state as Job['state']);
  if (filter.type) query = query.where('type', '=', filter.type);
  if (filter.before) query = query.where('id', '<', filter.before);
  return query.execute();
}

/** Puts a job that failed for good back in the queue with a fresh set of attempts; false if it had not failed. */
export async function requeueFailedJob(db: Kysely<DB>, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ state: 'queued', attempts: 0, run_at: now, finished_at: null, locked_until: null })
    .where('id', '=', id)
    .where('state', '=', 'failed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
