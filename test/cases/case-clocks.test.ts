import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { signIn, signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { caseEvents, openCase, type TestProductHandle } from './fixtures.ts';

type Clock = { key: string; state: string; dueAt: string | null; metAt: string | null };

describe(`cases: clock dates, clocks and CRA drafts (${engine})`, () => {
  let product: TestProductHandle;
  let analyst: TestSession;
  let now = new Date('2026-03-02T09:00:00.000Z'); // a Monday
  const day = 24 * 3_600_000;
  before(async () => {
    product = await startTestProduct({ clock: () => now, demo: false });
    analyst = await signInAs(product, 'analyst');
  });
  after(() => product.stop());

  /** Moves the fixed clock; signs in again, since a session does not outlive a jump of months. */
  async function setNow(at: Date) {
    now = at;
    analyst = await signIn(product, analyst.user);
  }

  /** Opens a case whose report arrived at `receivedAt` (the report row keeps the real arrival time). */
  async function caseReceivedAt(title: string, receivedAt: Date) {
    const c = await openCase(product, analyst.inject, title);
    // created_at is write-once in the schema types; this test sets the arrival it needs.
    await sql`update reports set created_at = ${receivedAt} where id = ${c.reportId}`.execute(
      product.deps.db,
    );
    return c;
  }
  const get = async (caseId: string, as: TestSession = analyst) => {
    const response = await as.inject({ url: `/api/v1/cases/${caseId}` });
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  };
  const clockOf = (body: { clocks: Clock[] }, key: string) => body.clocks.find((c) => c.key === key);
  const patch = (caseId: string, payload: object) =>
    analyst.inject({ method: 'PATCH', url: `/api/v1/cases/${caseId}`, payload });
  const move = (caseId: string, to: string, reason?: string) =>
    analyst.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/transitions`,
      payload: { to, ...(reason ? { reason } : {}) },
    });

  it('runs the four response clocks from the earliest report; moving out of new and triage meets the first two', async () => {
    await setNow(new Date('2026-03-02T09:00:00.000Z'));
    const c = await caseReceivedAt('Clocks from arrival', new Date('2026-03-02T08:00:00.000Z'));
    let body = await get(c.id);
    assert.deepEqual(
      body.clocks.map((k: Clock) => [k.key, k.state]),
      [
        ['acknowledge', 'running'],
        ['triage', 'running'],
        ['fix', 'running'],
        ['disclosure', 'running'],
      ],
    );
    // Two business days after Monday, in UTC: the end of Wednesday.
    assert.equal(clockOf(body, 'acknowledge')?.dueAt, '2026-03-04T23:59:59.999Z');
    await setNow(new Date('2026-03-03T10:00:00.000Z'));
    assert.equal((await move(c.id, 'triage')).statusCode, 200);
    await setNow(new Date('2026-03-12T10:00:00.000Z'));
    body = await get(c.id);
    assert.equal(clockOf(body, 'acknowledge')?.state, 'met');
    assert.equal(clockOf(body, 'acknowledge')?.metAt, '2026-03-03T10:00:00.000Z');
    assert.equal(clockOf(body, 'triage')?.state, 'overdue');
    assert.equal((await move(c.id, 'confirmed')).statusCode, 200);
    body = await get(c.id);
    assert.equal(clockOf(body, 'triage')?.state, 'met-late');
  });

  it('sets the clock dates through PATCH with an event each, and a moved fix date meets the fix clock', async () => {
    await setNow(new Date('2026-03-02T09:00:00.000Z'));
    const c = await caseReceivedAt('Dates', new Date('2026-03-02T09:00:00.000Z'));
    const response = await patch(c.id, {
      fixAvailableAt: '2026-03-20T12:00:00Z',
      agreedDisclosureAt: '2026-04-15T00:00:00Z',
    });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.equal(body.dates.fixAvailableAt, '2026-03-20T12:00:00.000Z');
    assert.equal(clockOf(body, 'fix')?.state, 'met');
    assert.equal(clockOf(body, 'disclosure')?.dueAt, '2026-04-15T00:00:00.000Z');
    assert.equal((await patch(c.id, { fixAvailableAt: '2026-03-20T12:00:00Z' })).statusCode, 200);
    const events = (await caseEvents(product, c.id)).filter((e) => e.kind.endsWith('_AT_CHANGED'));
    assert.deepEqual(
      events.map((e) => [e.kind, e.from, e.to]),
      [
        ['FIX_AVAILABLE_AT_CHANGED', null, '2026-03-20T12:00:00.000Z'],
        ['AGREED_DISCLOSURE_AT_CHANGED', null, '2026-04-15T00:00:00.000Z'],
      ],
      'a date set again to the same value writes nothing',
    );
    const bad = await patch(c.id, { craReportsSubmittedAt: { 'cra-made-up': '2026-03-02T09:00:00Z' } });
    assert.equal(bad.statusCode, 400);
    assert.ok(bad.json().fields['craReportsSubmittedAt.cra-made-up']);
    assert.equal((await patch(c.id, { disclosedAt: 'yesterday' })).statusCode, 400);
  });

  it('starts the CRA clocks when marked actively exploited, drafts the reports for staff only, and a submitted report meets its clock', async () => {
    await setNow(new Date('2026-03-02T09:00:00.000Z'));
    const c = await caseReceivedAt('Exploited in the wild', new Date('2026-03-01T09:00:00.000Z'));
    await patch(c.id, { summary: 'Command injection in the diagnostics page' });
    const marked = await patch(c.id, { activelyExploitedSince: '2026-03-02T08:00:00Z' });
    assert.equal(marked.statusCode, 200, marked.body);
    let body = marked.json();
    assert.equal(clockOf(body, 'cra-vulnerability-early-warning')?.dueAt, '2026-03-03T08:00:00.000Z');
    assert.equal(clockOf(body, 'cra-vulnerability-final-report')?.state, 'not-started');
    assert.deepEqual(
      body.craDrafts.map((d: { report: string }) => d.report),
      ['cra-vulnerability-early-warning', 'cra-vulnerability-notification', 'cra-vulnerability-final-report'],
    );
    assert.match(body.craDrafts[1].text, /Command injection in the diagnostics page/);
    await setNow(new Date('2026-03-03T09:00:00.000Z'));
    assert.equal(clockOf(await get(c.id), 'cra-vulnerability-early-warning')?.state, 'overdue');
    const sent = await patch(c.id, {
      craReportsSubmittedAt: { 'cra-vulnerability-early-warning': '2026-03-03T08:30:00Z' },
    });
    body = sent.json();
    assert.equal(clockOf(body, 'cra-vulnerability-early-warning')?.state, 'met-late');
    assert.deepEqual(body.dates.craReportsSubmittedAt, {
      'cra-vulnerability-early-warning': '2026-03-03T08:30:00.000Z',
    });
    const last = (await caseEvents(product, c.id)).at(-1);
    assert.equal(last?.kind, 'CRA_REPORT_SUBMITTED_CHANGED');

    const supplierId = (
      await product.deps.db
        .insertInto('suppliers')
        .values({ slug: `s-${engine}`, name: 'ODM' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await patch(c.id, { supplierId });
    const supplier = await signInAs(product, 'supplier', { supplierId });
    const seen = await get(c.id, supplier);
    assert.ok(seen.clocks.some((k: Clock) => k.key === 'cra-vulnerability-early-warning'));
    assert.equal(seen.craDrafts, undefined, 'drafts are for staff only');
  });

  it('shows no fix or disclosure clock once a case is closed as needing no fix, however late', async () => {
    await setNow(new Date('2026-03-02T09:00:00.000Z'));
    const c = await caseReceivedAt('Not ours', new Date('2026-03-02T09:00:00.000Z'));
    await move(c.id, 'triage');
    await move(c.id, 'out-of-scope', 'Third-party cloud');
    await setNow(new Date(now.getTime() + 400 * day));
    const body = await get(c.id);
    assert.deepEqual(
      body.clocks.map((k: Clock) => [k.key, k.state]),
      [
        ['acknowledge', 'met'],
        ['triage', 'met'],
      ],
    );
  });

  it('counts the move to fix-available and disclosed as the dates when none were recorded', async () => {
    await setNow(new Date('2026-03-02T09:00:00.000Z'));
    const c = await caseReceivedAt('Workflow dates', new Date('2026-03-02T09:00:00.000Z'));
    for (const to of ['triage', 'confirmed', 'fixing', 'fix-available', 'disclosed']) {
      assert.equal((await move(c.id, to)).statusCode, 200);
    }
    await setNow(new Date(now.getTime() + 400 * day));
    const body = await get(c.id);
    assert.ok(
      body.clocks.every((k: Clock) => k.state === 'met'),
      JSON.stringify(body.clocks),
    );
  });
});
