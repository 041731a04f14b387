import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import type { Job } from '../../src/db/schema.ts';
import { claimJobs, enqueue } from '../../src/queue/queue.ts';
import { Workers } from '../../src/queue/workers.ts';
import { engine, startTestProduct } from '../support/product.ts';

type TestProduct = Awaited<ReturnType<typeof startTestProduct>>;

const SECOND = 1000;
const MINUTE = 60 * SECOND;

describe(`job queue (${engine})`, () => {
  let product: TestProduct;
  let now = new Date('2027-01-04T09:00:00Z');
  const clock = () => now;
  before(async () => {
    product = await startTestProduct({ clock, demo: false });
  });
  after(() => product.stop());

  // Each test uses its own job type, so claims in one test never see another test's jobs.
  let typeCounter = 0;
  const newType = () => `TEST_JOB_${++typeCounter}`;

  const jobsOf = (type: string) =>
    product.deps.db.selectFrom('jobs').selectAll().where('type', '=', type).orderBy('id').execute();

  const workersFor = (type: string, handler: (payload: unknown, job: Job) => Promise<void>) => {
    const workers = new Workers(
      { db: product.deps.db, clock, log: pino({ level: 'silent' }) },
      { leaseMs: 5 * MINUTE, batchSize: 5 },
    );
    workers.register(type, handler);
    return workers;
  };

  it('leaves no job behind when the transaction that queued it rolls back', async () => {
    const type = newType();
    await assert.rejects(
      product.deps.db.transaction().execute(async (trx) => {
        await enqueue(trx, { type, payload: { n: 1 }, runAt: now });
        assert.equal(
          (await trx.selectFrom('jobs').select('id').where('type', '=', type).execute()).length,
          1,
        );
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    assert.deepEqual(await jobsOf(type), []);

    await product.deps.db
      .transaction()
      .execute((trx) => enqueue(trx, { type, payload: { n: 2 }, runAt: now }));
    const jobs = await jobsOf(type);
    assert.equal(jobs.length, 1, 'a committed transaction keeps its job');
    assert.deepEqual(jobs[0]?.payload, { n: 2 });
    assert.equal(jobs[0]?.state, 'queued');
  });

  it('queues a job with an idempotency key only once', async () => {
    const type = newType();
    const key = `${type}:report-42`;
    await enqueue(product.deps.db, { type, payload: { first: true }, idempotencyKey: key, runAt: now });
    await enqueue(product.deps.db, { type, payload: { first: false }, idempotencyKey: key, runAt: now });
    await product.deps.db
      .transaction()
      .execute((trx) => enqueue(trx, { type, payload: { first: false }, idempotencyKey: key, runAt: now }));
    const jobs = await jobsOf(type);
    assert.equal(jobs.length, 1);
    assert.deepEqual(jobs[0]?.payload, { first: true }, 'the first one wins');

    await enqueue(product.deps.db, { type, payload: {}, runAt: now });
    await enqueue(product.deps.db, { type, payload: {}, runAt: now });
    assert.equal((await jobsOf(type)).length, 3, 'jobs without a key are all queued');
  });

  it('never gives the same job to two claimers running at once', async () => {
    const type = newType();
    for (let i = 0; i < 20; i++) await enqueue(product.deps.db, { type, payload: { i }, runAt: now });
    const claims = await Promise.all(
      Array.from({ length: 6 }, () =>
        claimJobs(product.deps.db, { types: [type], limit: 3, leaseMs: MINUTE, now }),
      ),
    );
    const ids = claims.flat().map((job) => job.id);
    assert.equal(ids.length, 18, 'every claimer got a full batch');
    assert.equal(new Set(ids).size, ids.length, 'no job was claimed twice');
    const rest = await claimJobs(product.deps.db, { types: [type], limit: 10, leaseMs: MINUTE, now });
    assert.equal(rest.length, 2);
    assert.ok(rest.every((job) => !ids.includes(job.id)));
    assert.ok((await jobsOf(type)).every((job) => job.state === 'running' && job.attempts === 1));
  });

  it('skips jobs locked by an open transaction instead of waiting for it or taking them', {
    skip:
      engine === 'pglite' ? 'PGlite has one connection, so two transactions cannot be open at once' : false,
  }, async () => {
    const type = newType();
    for (let i = 0; i < 4; i++) await enqueue(product.deps.db, { type, payload: { i }, runAt: now });
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    let firstClaimed!: (jobs: Job[]) => void;
    const firstClaim = new Promise<Job[]>((resolve) => {
      firstClaimed = resolve;
    });
    const first = product.deps.db.transaction().execute(async (trx) => {
      firstClaimed(await claimJobs(trx, { types: [type], limit: 2, leaseMs: MINUTE, now }));
      await firstMayCommit;
    });
    try {
      const held = await firstClaim;
      assert.equal(held.length, 2);
      const second = product.deps.db
        .transaction()
        .execute((trx) => claimJobs(trx, { types: [type], limit: 4, leaseMs: MINUTE, now }));
      const timeout = new Promise<'blocked'>((resolve) => setTimeout(() => resolve('blocked'), 2000).unref());
      const outcome = await Promise.race([second, timeout]);
      assert.notEqual(outcome, 'blocked', 'the second claimer did not wait for the first');
      const taken = outcome as Job[];
      assert.equal(taken.length, 2, 'it got the two jobs nobody held');
      const heldIds = held.map((job) => job.id);
      assert.ok(
        taken.every((job) => !heldIds.includes(job.id)),
        'and none of the held ones',
      );
    } finally {
      releaseFirst();
      await first;
    }
  });

  it('retries a failing job with growing backoff and marks it failed after max attempts', async () => {
    const type = newType();
    const calls: { attempt: number; at: string }[] = [];
    const workers = workersFor(type, async (_payload, job) => {
      calls.push({ attempt: job.attempts, at: now.toISOString() });
      throw new Error(`relay refused attempt ${job.attempts}`);
    });
    const start = now;
    try {
      await enqueue(product.deps.db, { type, payload: {}, runAt: now, maxAttempts: 3 });

      assert.equal(await workers.runDue(), 1);
      let [job] = await jobsOf(type);
      assert.equal(job?.state, 'queued');
      assert.equal(job?.attempts, 1);
      assert.equal(job?.last_error, 'relay refused attempt 1');
      assert.equal(job?.run_at.getTime(), now.getTime() + 2 * SECOND, 'first retry after 2 s');
      assert.equal(job?.locked_until, null);

      assert.equal(await workers.runDue(), 0, 'not retried before its time');
      now = new Date(now.getTime() + 2 * SECOND - 1);
      assert.equal(await workers.runDue(), 0, 'not even a millisecond early');

      now = new Date(now.getTime() + 1);
      assert.equal(await workers.runDue(), 1);
      [job] = await jobsOf(type);
      assert.equal(job?.state, 'queued');
      assert.equal(job?.attempts, 2);
      assert.equal(job?.run_at.getTime(), now.getTime() + 4 * SECOND, 'second retry after 4 s');

      now = new Date(now.getTime() + 4 * SECOND);
      assert.equal(await workers.runDue(), 1);
      [job] = await jobsOf(type);
      assert.equal(job?.state, 'failed');
      assert.equal(job?.attempts, 3);
      assert.equal(job?.last_error, 'relay refused attempt 3');
      assert.equal(job?.finished_at?.getTime(), now.getTime());

      now = new Date(now.getTime() + 24 * 60 * MINUTE);
      assert.equal(await workers.runDue(), 0, 'a failed job is not run again');
      assert.deepEqual(
        calls.map((c) => c.attempt),
        [1, 2, 3],
      );
    } finally {
      now = start;
    }
  });

  it('completes a job whose handler succeeds, once', async () => {
    const type = newType();
    const seen: unknown[] = [];
    const workers = workersFor(type, async (payload) => {
      seen.push(payload);
    });
    await enqueue(product.deps.db, { type, payload: { to: 'ada@example.org' }, runAt: now });
    assert.equal(await workers.runDue(), 1);
    assert.equal(await workers.runDue(), 0);
    assert.deepEqual(seen, [{ to: 'ada@example.org' }]);
    const [job] = await jobsOf(type);
    assert.equal(job?.state, 'done');
    assert.equal(job?.finished_at?.getTime(), now.getTime());
    assert.equal(job?.locked_until, null);
  });

  it('does not run a job before its run_at', async () => {
    const type = newType();
    const workers = workersFor(type, async () => {});
    await enqueue(product.deps.db, { type, payload: {}, runAt: new Date(now.getTime() + MINUTE) });
    assert.equal(await workers.runDue(), 0);
    const start = now;
    try {
      now = new Date(start.getTime() + MINUTE);
      assert.equal(await workers.runDue(), 1);
    } finally {
      now = start;
    }
  });

  it('claims a running job again once its lease has expired, as after a crash', async () => {
    const type = newType();
    const start = now;
    try {
      await enqueue(product.deps.db, { type, payload: { n: 1 }, runAt: now });
      // A worker claims the job and dies before finishing it.
      const [crashed] = await claimJobs(product.deps.db, { types: [type], limit: 1, leaseMs: MINUTE, now });
      assert.equal(crashed?.state, 'running');
      assert.equal(crashed?.locked_until?.getTime(), now.getTime() + MINUTE);

      const ran: number[] = [];
      const workers = workersFor(type, async (_payload, job) => {
        ran.push(job.attempts);
      });
      now = new Date(start.getTime() + MINUTE - 1);
      assert.equal(await workers.runDue(), 0, 'a live lease is respected');
      now = new Date(start.getTime() + MINUTE);
      assert.equal(await workers.runDue(), 0, 'the lease lasts until its end');

      now = new Date(start.getTime() + MINUTE + 1);
      assert.equal(await workers.runDue(), 1, 'an expired lease is claimed again');
      assert.deepEqual(ran, [2], 'the second attempt ran');
      const [job] = await jobsOf(type);
      assert.equal(job?.state, 'done');
      assert.equal(job?.id, crashed?.id);
    } finally {
      now = start;
    }
  });
});
