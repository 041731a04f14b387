// Runs queued jobs in this process: polls the jobs table in small batches (PGlite holds one
// connection, so batches stay short) and can be woken right after a commit that queued work.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB, Job } from '../db/schema.ts';
import type { Clock } from '../platform/clock.ts';
import { claimJobs, completeJob, failJob } from './queue.ts';

/**
 * What a handler may say once its work is done: `keptPayload` replaces the payload stored with the
 * finished job (a sent mail drops its body, which may hold a secret such as a status link).
 */
export type JobDone = { keptPayload: unknown };

// biome-ignore lint/suspicious/noConfusingVoidType: most handlers keep their payload and return nothing.
export type JobHandler = (payload: unknown, job: Job) => Promise<JobDone | void>;

export type WorkerOptions = { pollMs: number; batchSize: number; leaseMs: number };

const defaults: WorkerOptions = { pollMs: 1000, batchSize: 10, leaseMs: 5 * 60_000 };

export class Workers {
  readonly #db: Kysely<DB>;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #handlers: Map<string, JobHandler>;
  readonly #options: WorkerOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #stopped = true;

  constructor(deps: { db: Kysely<DB>; clock: Clock; log: Logger }, options: Partial<WorkerOptions> = {}) {
    this.#db = deps.db;
    this.#clock = deps.clock;
    this.#log = deps.log;
    this.#handlers = new Map();
    this.#options = { ...defaults, ...options };
  }

  register(type: string, handler: JobHandler): void {
    this.#handlers.set(type, handler);
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(0);
  }

  /** Asks for a poll now (after a commit that queued a job) instead of at the next tick. */
  wake(): void {
    if (!this.#stopped && !this.#running) this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** Runs every job that is due now, batch after batch; returns how many ran. For CLI and tests. */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const ran = await this.#runBatch();
      total += ran;
      if (ran === 0) return total;
    }
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#tick(), delayMs);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    if (this.#stopped || this.#running) return;
    let ran = 0;
    try {
      this.#running = this.#runBatch();
      ran = await this.#running;
    } catch (error) {
      this.#log.error({ err: error }, 'job queue poll failed');
    } finally {
      this.#running = undefined;
    }
    if (!this.#stopped) this.#schedule(ran > 0 ? 0 : this.#options.pollMs);
  }

  async #runBatch(): Promise<number> {
    const types = [...this.#handlers.keys()];
    if (types.length === 0) return 0;
    const jobs = await claimJobs(this.#db, {
      types,
      limit: this.#options.batchSize,
      leaseMs: this.#options.leaseMs,
      now: this.#clock(),
    });
    await Promise.all(jobs.map((job) => this.#runJob(job)));
    return jobs.length;
  }

  async #runJob(job: Job): Promise<void> {
    const handler = this.#handlers.get(job.type);
    try {
      if (!handler) throw new Error(`no handler for job type ${job.type}`);
      const done = await handler(job.payload, job);
      await completeJob(this.#db, job.id, this.#clock(), done ? { keptPayload: done.keptPayload } : {});
      this.#log.debug({ jobId: job.id, type: job.type }, 'job done');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#log.warn({ jobId: job.id, type: job.type, attempt: job.attempts, err: message }, 'job failed');
      await failJob(this.#db, job, message, this.#clock());
    }
  }
}
