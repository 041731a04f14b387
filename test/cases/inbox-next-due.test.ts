import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import {
  CASE_NEXT_DUE_REFRESH,
  queueNextDueRefresh,
  refreshBatchSize,
} from '../../src/cases/inbox/next-due-refresh.ts';
import { signIn, signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { openCase, submitReport, type TestProductHandle } from './fixtures.ts';

type ClockView = { key: string; state: string; dueAt: string | null };

describe(`cases: next_due_at follows the clocks (${engine})`, () => {
  let product: TestProductHandle;
  let admin: TestSession;
  let analyst: TestSession;
  let now = new Date('2026-03-02T09:00:00.000Z'); // a Monday
  const caseIds: string[] = [];

  before(async () => {
    product = await startTestProduct({ clock: () => now, demo: false });
    admin = await signInAs(product, 'admin');
    analyst = await signInAs(product, 'analyst');
  });
  after(() => product.stop());

  async function setNow(at: Date) {
    now = at;
    admin = await signIn(product, admin.user);
    analyst = await signIn(product, analyst.user);
  }

  /** The earliest due time of its running or overdue clocks, as the case page computes them. */
  async function expectedAndStored(caseId: string) {
    const response = await analyst.inject({ url: `/api/v1/cases/${caseId}` });
    assert.equal(response.statusCode, 200, response.body);
    const view = response.json() as { nextDueAt: string | null; overdue: boolean; clocks: ClockView[] };
    const open = view.clocks.filter((c) => c.state === 'running' || c.state === 'overdue');
    const expected = open.map((c) => c.dueAt as string).sort()[0] ?? null;
    const row = await product.deps.db
      .selectFrom('cases')
      .select('next_due_at')
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    return { expected, stored: row.next_due_at?.toISOString() ?? null, view };
  }

  async function assertAllMatch(message: string) {
    for (const id of caseIds) {
      const { expected, stored, view } = await expectedAndStored(id);
      assert.equal(stored, expected, `${message}: case ${id}`);
      assert.equal(view.nextDueAt, expected);
      assert.equal(view.overdue, expected !== null && expected < now.toISOString());
    }
  }

  const move = async (caseId: string, to: string, reason?: string) => {
    const response = await analyst.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/transitions`,
      payload: { to, ...(reason ? { reason } : {}) },
    });
    assert.equal(response.statusCode, 200, response.body);
  };
  const patch = async (caseId: string, payload: object) => {
    const response = await analyst.inject({ method: 'PATCH', url: `/api/v1/cases/${caseId}`, payload });
    assert.equal(response.statusCode, 200, response.body);
  };

  it('is set when a case is opened: the acknowledgement deadline comes first', async () => {
    const opened = await openCase(product, analyst.inject, 'Camera RTSP stream without authentication');
    caseIds.push(opened.id);
    assert.equal(opened.nextDueAt, '2026-03-04T23:59:59.999Z');
    assert.equal(opened.overdue, false);
    await assertAllMatch('after opening');
  });

  it('moves with every kind of change: states, severity, dates, CRA reports, attached reports', async () => {
    const [first] = caseIds as [string];
    await move(first, 'triage');
    let { stored } = await expectedAndStored(first);
    assert.equal(stored, '2026-03-09T23:59:59.999Z', 'acknowledged: triage (7 days) is next');
    await move(first, 'confirmed');
    assert.equal(
      (await expectedAndStored(first)).stored,
      '2026-05-31T23:59:59.999Z',
      'medium fix target: 90 days',
    );
    await patch(first, { cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' });
    assert.equal((await expectedAndStored(first)).stored, '2026-04-01T23:59:59.999Z', 'critical: 30 days');
    await patch(first, { activelyExploitedSince: '2026-03-02T08:00:00.000Z' });
    assert.equal(
      (await expectedAndStored(first)).stored,
      '2026-03-03T08:00:00.000Z',
      'CRA early warning: 24 h',
    );
    await patch(first, {
      craReportsSubmittedAt: { 'cra-vulnerability-early-warning': '2026-03-02T09:00:00.000Z' },
    });
    ({ stored } = await expectedAndStored(first));
    assert.equal(stored, '2026-03-05T08:00:00.000Z', 'then the notification: 72 h');
    await assertAllMatch('after the CRA changes');

    // Many more cases, each left in another state or with other dates.
    const titles = [
      'Hub telnet backdoor',
      'Lock replay attack',
      'Plug cloud token leak',
      'Router XSS',
      'Doorbell DoS',
    ];
    for (const title of titles) caseIds.push((await openCase(product, analyst.inject, title)).id);
    const [, backdoor, replay, token, xss, dos] = caseIds as [string, string, string, string, string, string];
    await move(backdoor, 'triage');
    await move(backdoor, 'not-a-vulnerability', 'Works as designed');
    await move(replay, 'triage');
    await move(replay, 'confirmed');
    await move(replay, 'fixing');
    await move(replay, 'fix-available');
    await patch(replay, { agreedDisclosureAt: '2026-04-15T12:00:00.000Z' });
    await move(token, 'triage');
    await move(token, 'duplicate', 'Same as the first');
    await patch(token, { severeIncidentSince: '2026-03-02T07:00:00.000Z' });
    await move(xss, 'triage');
    await move(xss, 'confirmed');
    await move(xss, 'fixing');
    await patch(xss, { fixAvailableAt: '2026-03-02T08:30:00.000Z', disclosedAt: '2026-03-02T08:45:00.000Z' });
    await move(xss, 'fix-available');
    await move(xss, 'disclosed');
    await move(xss, 'closed');
    assert.equal((await expectedAndStored(xss)).stored, null, 'closed with everything met: no deadline');
    assert.equal((await expectedAndStored(backdoor)).stored, null, 'not a vulnerability: nothing left');
    assert.equal(
      (await expectedAndStored(replay)).stored,
      '2026-04-15T12:00:00.000Z',
      'fix available: the agreed disclosure date is next',
    );
    assert.equal(
      (await expectedAndStored(token)).stored,
      '2026-03-03T07:00:00.000Z',
      'a duplicate with a severe incident still owes the CRA early warning',
    );

    // An earlier report attached as a duplicate moves "received", and with it every deadline.
    const earlier = await submitReport(product, 'Same doorbell crash, sent earlier');
    await sql`update reports set created_at = ${new Date('2026-02-20T10:00:00.000Z')} where id = ${earlier}`.execute(
      product.deps.db,
    );
    const before = (await expectedAndStored(dos)).stored;
    const attached = await analyst.inject({
      method: 'POST',
      url: `/api/v1/cases/${dos}/reports`,
      payload: { reportId: earlier },
    });
    assert.equal(attached.statusCode, 200, attached.body);
    const afterAttach = (await expectedAndStored(dos)).stored;
    assert.equal(before, '2026-03-04T23:59:59.999Z');
    assert.equal(
      afterAttach,
      '2026-02-24T23:59:59.999Z',
      'acknowledge by two business days after 20 February',
    );
    assert.equal(attached.json().overdue, true);

    const models = await sql<{ id: string }>`
      insert into products (slug, name) values ('doorbell', 'Doorbell') returning id`.execute(
      product.deps.db,
    );
    const productId = models.rows[0]?.id as string;
    const model = await product.deps.db
      .insertInto('models')
      .values({ product_id: productId, slug: 'db-1', name: 'Doorbell 1' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const affects = await analyst.inject({
      method: 'PUT',
      url: `/api/v1/cases/${dos}/affects`,
      payload: { affects: [{ modelId: model.id, versionRange: '< 2.0.0' }] },
    });
    assert.equal(affects.statusCode, 200, affects.body);
    await move(first, 'fixing');
    await move(token, 'triage', 'Not a duplicate after all');
    await assertAllMatch('after every kind of command');
  });

  it('stays true as time passes: overdue turns on without a write', async () => {
    await setNow(new Date('2026-03-06T12:00:00.000Z'));
    const first = caseIds[0] as string;
    const { view, stored } = await expectedAndStored(first);
    assert.equal(stored, '2026-03-05T08:00:00.000Z');
    assert.equal(view.overdue, true);
    await assertAllMatch('four days later');
  });

  it('follows a change of the response policy through the queued refresh', async () => {
    const replay = caseIds[2] as string;
    await patch(replay, { agreedDisclosureAt: null });
    assert.equal(
      (await expectedAndStored(replay)).stored,
      '2026-05-31T23:59:59.999Z',
      '90 days after arrival',
    );
    const response = await admin.inject({
      method: 'PUT',
      url: '/api/v1/response-policy',
      payload: { disclosureWithinDays: 45, fixWithinDays: { critical: 7, high: 30, medium: 60, low: 90 } },
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(
      (await expectedAndStored(replay)).stored,
      '2026-05-31T23:59:59.999Z',
      'not yet: the refresh is a queued job',
    );
    const refreshJobs = () =>
      product.deps.db
        .selectFrom('jobs')
        .select(['state', 'payload'])
        .where('type', '=', CASE_NEXT_DUE_REFRESH)
        .execute();
    assert.deepEqual(
      (await refreshJobs()).map((j) => j.state),
      ['queued'],
    );
    await product.workers.runDue();
    assert.equal(
      (await expectedAndStored(replay)).stored,
      '2026-04-16T23:59:59.999Z',
      '45 days after arrival',
    );
    const [job] = await refreshJobs();
    assert.ok(job);
    assert.equal(job.state, 'done');
    const withDeadline = caseIds.length - 2; // the closed case and the one not a vulnerability have none
    assert.equal((job.payload as { refreshed: number }).refreshed, withDeadline);
    await assertAllMatch('after the policy change');
  });

  it('fills in every case in batches of short transactions (the backfill of migration 0085)', async () => {
    const extra = refreshBatchSize * 2 + 17;
    await sql`
      insert into cases (number, title, created_at, updated_at)
      select 'CASE-1999-' || lpad(i::text, 5, '0'), 'Imported case ' || i, ${now}, ${now}
      from generate_series(1, ${extra}) as i`.execute(product.deps.db);
    await sql`update cases set next_due_at = null`.execute(product.deps.db);
    await product.deps.db.transaction().execute((trx) => queueNextDueRefresh(trx, 'all', now));
    await product.workers.runDue();
    const jobs = await product.deps.db
      .selectFrom('jobs')
      .select(['state', 'payload'])
      .where('type', '=', CASE_NEXT_DUE_REFRESH)
      .where(sql<boolean>`payload->>'scope' = 'all'`)
      .orderBy('id')
      .execute();
    const total = caseIds.length + extra;
    assert.deepEqual(
      jobs.map((j) => [j.state, (j.payload as { refreshed: number }).refreshed]),
      [
        ['done', refreshBatchSize],
        ['done', refreshBatchSize * 2],
        ['done', total],
      ],
      'one job per batch, each queuing the next',
    );
    const missing = await product.deps.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('number', 'like', 'CASE-1999-%')
      .where('next_due_at', 'is', null)
      .executeTakeFirstOrThrow();
    assert.equal(Number(missing.n), 0, 'every imported case got its acknowledgement deadline');
    await assertAllMatch('after the backfill');
  });
});
