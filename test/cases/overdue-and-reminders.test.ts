import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { CASE_CLOCKS_SCAN, scheduleClockScan } from '../../src/cases/clock-reminders.ts';
import { signIn, signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { type Receiver, startReceiver } from '../webhooks/receiver.ts';
import { openCase, type TestProductHandle } from './fixtures.ts';

type Job = { type: string; idempotency_key: string | null; payload: unknown; state: string };

describe(`cases: overdue view and clock reminders (${engine})`, () => {
  let product: TestProductHandle;
  let admin: TestSession;
  let analyst: TestSession;
  let auditor: TestSession;
  let receiver: Receiver;
  let now = new Date('2026-03-02T09:00:00.000Z'); // a Monday
  let unassigned: { id: string; number: string };
  let assigned: { id: string; number: string };

  before(async () => {
    product = await startTestProduct({ clock: () => now, demo: false });
    admin = await signInAs(product, 'admin');
    analyst = await signInAs(product, 'analyst');
    auditor = await signInAs(product, 'auditor');
    receiver = await startReceiver();
    const hook = await admin.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      payload: { url: receiver.url, events: ['case.overdue'] },
    });
    assert.equal(hook.statusCode, 201, hook.body);
    unassigned = await caseReceivedAt('Nobody on it', new Date('2026-03-02T08:00:00.000Z'));
    assigned = await caseReceivedAt('Analyst on it', new Date('2026-03-02T08:30:00.000Z'));
    const patched = await analyst.inject({
      method: 'PATCH',
      url: `/api/v1/cases/${assigned.id}`,
      payload: { assigneeUserId: analyst.user.id },
    });
    assert.equal(patched.statusCode, 200, patched.body);
  });
  after(async () => {
    await receiver.close();
    await product.stop();
  });

  async function caseReceivedAt(title: string, receivedAt: Date) {
    const c = await openCase(product, analyst.inject, title);
    await sql`update reports set created_at = ${receivedAt} where id = ${c.reportId}`.execute(
      product.deps.db,
    );
    return c;
  }
  async function setNow(at: Date) {
    now = at;
    analyst = await signIn(product, analyst.user);
    auditor = await signIn(product, auditor.user);
  }
  const reminderJobs = async (): Promise<Job[]> =>
    (await product.deps.db
      .selectFrom('jobs')
      .select(['type', 'idempotency_key', 'payload', 'state'])
      .where('idempotency_key', 'like', 'clock-reminder:%')
      .orderBy('id')
      .execute()) as Job[];

  it('queues one mail per due reminder through the scan job: to the analyst, or the security mailbox when unassigned', async () => {
    await setNow(new Date('2026-03-03T22:00:00.000Z')); // acknowledge window (to Wed 23:59:59.999) past half
    await scheduleClockScan(product.deps.db, now);
    await product.workers.runDue();
    const jobs = await reminderJobs();
    assert.ok(jobs.every((j) => j.type === 'MAIL_SEND'));
    assert.deepEqual(
      jobs.map((j) => j.idempotency_key).sort(),
      [unassigned, assigned]
        .map((c) => `clock-reminder:${c.id}:acknowledge:2026-03-04T23:59:59.999Z:50pct`)
        .sort(),
    );
    const to = Object.fromEntries(
      jobs.map((j) => [j.idempotency_key?.split(':')[1], (j.payload as { to: string }).to]),
    );
    assert.equal(to[unassigned.id], product.config.securityEmail);
    assert.equal(to[assigned.id], analyst.user.email);
    assert.ok(
      jobs.every((j) => j.state === 'done'),
      'the mails were sent by the worker',
    );
    assert.equal(receiver.received.length, 0, 'no overdue event yet');

    const scans = await product.deps.db
      .selectFrom('jobs')
      .select(['state', 'run_at'])
      .where('type', '=', CASE_CLOCKS_SCAN)
      .orderBy('run_at')
      .execute();
    assert.deepEqual(
      scans.map((s) => [s.state, new Date(s.run_at).toISOString()]),
      [
        ['done', '2026-03-03T22:00:00.000Z'],
        ['queued', '2026-03-03T22:10:00.000Z'],
      ],
      'each scan queues the next one',
    );
  });

  it('sends an overdue reminder and one case.overdue event when a clock runs out, and nothing twice', async () => {
    await setNow(new Date('2026-03-05T00:05:00.000Z'));
    await product.workers.runDue();
    const overdueJobs = (await reminderJobs()).filter((j) => j.idempotency_key?.endsWith(':overdue'));
    assert.equal(overdueJobs.length, 2);
    assert.match(
      String((overdueJobs[0]?.payload as { subject?: string } | undefined)?.subject),
      /^Overdue: CASE-/,
    );
    assert.equal(receiver.received.length, 2);
    const events = receiver.received.map((r) => JSON.parse(r.body));
    const ofUnassigned = events.find((e) => e.data.caseId === unassigned.id);
    assert.deepEqual(ofUnassigned, {
      id: `clock-reminder:${unassigned.id}:acknowledge:2026-03-04T23:59:59.999Z:overdue`,
      type: 'case.overdue',
      occurredAt: now.toISOString(),
      data: {
        caseId: unassigned.id,
        number: unassigned.number,
        title: 'Nobody on it',
        severity: null,
        url: `${product.config.publicUrl.replace(/\/+$/, '')}/console/cases/${unassigned.id}`,
        clock: 'acknowledge',
        clockLabel: 'Acknowledge the report (2 business days)',
        dueAt: '2026-03-04T23:59:59.999Z',
      },
    });

    const before = (await reminderJobs()).length;
    await scheduleClockScan(product.deps.db, new Date(now.getTime() - 30 * 60_000));
    await setNow(new Date('2026-03-05T00:25:00.000Z'));
    await product.workers.runDue();
    assert.equal((await reminderJobs()).length, before, 'later scans queue nothing new');
    assert.equal(receiver.received.length, 2);
  });

  it('lists overdue cases for staff, most overdue first, with their overdue clocks', async () => {
    const response = await auditor.inject({ url: '/api/v1/cases/overdue' });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.deepEqual(
      body.items.map((i: { case: { id: string }; overdue: { key: string }[] }) => [
        i.case.id,
        i.overdue.map((k) => k.key),
      ]),
      [
        [unassigned.id, ['acknowledge']],
        [assigned.id, ['acknowledge']],
      ],
    );
    const triaged = await analyst.inject({
      method: 'POST',
      url: `/api/v1/cases/${unassigned.id}/transitions`,
      payload: { to: 'triage' },
    });
    assert.equal(triaged.statusCode, 200);
    const after = (await analyst.inject({ url: '/api/v1/cases/overdue' })).json();
    assert.deepEqual(
      after.items.map((i: { case: { id: string } }) => i.case.id),
      [assigned.id],
      'acknowledged late: met-late, no longer overdue',
    );
    const supplier = await signInAs(product, 'supplier');
    assert.equal((await supplier.inject({ url: '/api/v1/cases/overdue' })).statusCode, 403);
  });
});
