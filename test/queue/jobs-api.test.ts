import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { enqueue } from '../../src/queue/queue.ts';
import { signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';

type TestProduct = Awaited<ReturnType<typeof startTestProduct>>;

describe(`jobs API for the console (${engine})`, () => {
  let product: TestProduct;
  let admin: TestSession;
  let auditor: TestSession;
  let analyst: TestSession;
  let failedId: string;
  let doneId: string;

  before(async () => {
    product = await startTestProduct({ demo: false });
    [admin, auditor, analyst] = await Promise.all([
      signInAs(product, 'admin'),
      signInAs(product, 'auditor'),
      signInAs(product, 'analyst'),
    ]);
    const db = product.deps.db;
    await enqueue(db, { type: 'TEST_VISIBLE_QUEUED', payload: { secret: 'payload-secret-1' } });
    await enqueue(db, { type: 'TEST_VISIBLE_FAILED', payload: { secret: 'payload-secret-2' } });
    await enqueue(db, { type: 'TEST_VISIBLE_DONE', payload: { secret: 'payload-secret-3' } });
    const rows = await db
      .selectFrom('jobs')
      .select(['id', 'type'])
      .where('type', 'like', 'TEST_VISIBLE_%')
      .execute();
    const idOf = (type: string) => String(rows.find((row) => row.type === type)?.id);
    failedId = idOf('TEST_VISIBLE_FAILED');
    doneId = idOf('TEST_VISIBLE_DONE');
    await db
      .updateTable('jobs')
      .set({
        state: 'failed',
        attempts: 5,
        max_attempts: 5,
        last_error: 'SMTP 550 mailbox unavailable',
        finished_at: new Date(),
      })
      .where('id', '=', failedId)
      .execute();
    await db
      .updateTable('jobs')
      .set({ state: 'done', finished_at: new Date() })
      .where('id', '=', doneId)
      .execute();
  });
  after(() => product.stop());

  it('lists jobs newest first with counts and last errors, never their payloads', async () => {
    const response = await admin.inject({ method: 'GET', url: '/api/v1/jobs' });
    assert.equal(response.statusCode, 200, response.body);
    assert.doesNotMatch(response.body, /payload-secret/);
    const { counts, items } = response.json();
    const ids = items.map((job: { id: string }) => Number(job.id));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => b - a),
      'newest first',
    );
    const failed = items.find((job: { id: string }) => job.id === failedId);
    assert.equal(failed.state, 'failed');
    assert.equal(failed.lastError, 'SMTP 550 mailbox unavailable');
    assert.equal(failed.attempts, 5);
    assert.ok(
      counts.some(
        (c: { type: string; state: string; count: number }) =>
          c.type === 'TEST_VISIBLE_FAILED' && c.state === 'failed' && c.count === 1,
      ),
    );
  });

  it('filters by state and type, and pages with before', async () => {
    const failed = (await auditor.inject({ method: 'GET', url: '/api/v1/jobs?state=failed' })).json();
    assert.deepEqual(
      failed.items.map((job: { state: string }) => job.state),
      failed.items.map(() => 'failed'),
    );
    const ofType = (
      await auditor.inject({ method: 'GET', url: '/api/v1/jobs?type=TEST_VISIBLE_DONE' })
    ).json();
    assert.deepEqual(
      ofType.items.map((job: { id: string }) => job.id),
      [doneId],
    );
    const older = (
      await auditor.inject({ method: 'GET', url: `/api/v1/jobs?before=${doneId}&limit=200` })
    ).json();
    assert.ok(older.items.every((job: { id: string }) => Number(job.id) < Number(doneId)));
    const bad = await auditor.inject({ method: 'GET', url: '/api/v1/jobs?state=lost' });
    assert.equal(bad.statusCode, 400);
  });

  it('lets an admin put a failed job back in the queue, audited; anything else is refused', async () => {
    assert.equal((await analyst.inject({ method: 'GET', url: '/api/v1/jobs' })).statusCode, 403);
    assert.equal(
      (await auditor.inject({ method: 'POST', url: `/api/v1/jobs/${failedId}/retry` })).statusCode,
      403,
    );
    const done = await admin.inject({ method: 'POST', url: `/api/v1/jobs/${doneId}/retry` });
    assert.equal(done.statusCode, 409, done.body);
    assert.equal(
      (await admin.inject({ method: 'POST', url: '/api/v1/jobs/999999999/retry' })).statusCode,
      404,
    );

    const retried = await admin.inject({ method: 'POST', url: `/api/v1/jobs/${failedId}/retry` });
    assert.equal(retried.statusCode, 204, retried.body);
    const job = await product.deps.db
      .selectFrom('jobs')
      .select(['state', 'attempts', 'finished_at'])
      .where('id', '=', failedId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(job, { state: 'queued', attempts: 0, finished_at: null });
    const audit = await product.deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', failedId)
      .execute();
    assert.deepEqual(
      audit.map((row) => row.action),
      ['JOB_RETRIED'],
    );
  });
});
