import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { caseEvents, openCase, submitReport, type TestProductHandle } from './fixtures.ts';

describe(`cases: opening, workflow and the event trail (${engine})`, () => {
  let product: TestProductHandle;
  let analyst: TestSession;
  before(async () => {
    product = await startTestProduct();
    analyst = await signInAs(product, 'analyst');
  });
  after(() => product.stop());

  const move = (caseId: string, to: string, reason?: string) =>
    analyst.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/transitions`,
      payload: { to, ...(reason ? { reason } : {}) },
    });

  it('opens a numbered case from a report and lists it, no longer among the incoming reports', async () => {
    const opened = await openCase(product, analyst.inject, 'Telnet left open on port 2323');
    assert.match(opened.number, /^CASE-\d{4}-\d{4,}$/);
    assert.equal(opened.state, 'new');
    assert.equal(opened.title, 'Telnet left open on port 2323');
    assert.deepEqual(
      opened.reports.map((r: { id: string; relation: string }) => [r.id, r.relation]),
      [[opened.reportId, 'origin']],
    );
    assert.deepEqual(
      opened.events.map((e: { kind: string }) => e.kind),
      ['CASE_OPENED'],
    );
    const list = (await analyst.inject({ url: '/api/v1/cases?state=new' })).json();
    assert.ok(list.items.some((c: { id: string }) => c.id === opened.id));
    const incoming = (await analyst.inject({ url: '/api/v1/reports' })).json();
    assert.ok(!incoming.items.some((r: { id: string }) => r.id === opened.reportId));
    const again = await analyst.inject({
      method: 'POST',
      url: '/api/v1/cases',
      payload: { reportId: opened.reportId },
    });
    assert.equal(again.statusCode, 409);
  });

  it('numbers cases one after the other within the year', async () => {
    const first = await openCase(product, analyst.inject, 'First');
    const second = await openCase(product, analyst.inject, 'Second');
    const n = (c: { number: string }) => Number(c.number.split('-')[2]);
    assert.ok(n(second) > n(first));
  });

  it('walks the whole workflow, with an event holding from, to, who and why for every move', async () => {
    const c = await openCase(product, analyst.inject, 'Walk');
    const path: [string, string?][] = [
      ['triage'],
      ['confirmed'],
      ['fixing'],
      ['fix-available'],
      ['disclosed'],
      ['closed'],
      ['triage', 'Reporter shows it still works on 2.4.2'],
    ];
    for (const [to, reason] of path) {
      const response = await move(c.id, to, reason);
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.json().state, to);
    }
    const events = await caseEvents(product, c.id);
    assert.deepEqual(
      events
        .slice(1)
        .map((e) => [
          e.kind,
          (e.from as { state: string }).state,
          (e.to as { state: string }).state,
          e.reason,
        ]),
      [
        ['STATE_CHANGED', 'new', 'triage', null],
        ['STATE_CHANGED', 'triage', 'confirmed', null],
        ['STATE_CHANGED', 'confirmed', 'fixing', null],
        ['STATE_CHANGED', 'fixing', 'fix-available', null],
        ['STATE_CHANGED', 'fix-available', 'disclosed', null],
        ['STATE_CHANGED', 'disclosed', 'closed', null],
        ['CASE_REOPENED', 'closed', 'triage', 'Reporter shows it still works on 2.4.2'],
      ],
    );
    assert.ok(events.every((e) => e.actor === `user:${analyst.user.id}`));
  });

  it('refuses an illegal move or a missing reason and changes nothing', async () => {
    const c = await openCase(product, analyst.inject, 'Refusals');
    const before = await caseEvents(product, c.id);
    const illegal = await move(c.id, 'closed');
    assert.equal(illegal.statusCode, 409);
    assert.match(illegal.json().message, /cannot go from new to closed/);
    assert.equal((await move(c.id, 'triage')).statusCode, 200);
    const noReason = await move(c.id, 'out-of-scope');
    assert.equal(noReason.statusCode, 400);
    assert.ok(noReason.json().fields.reason);
    const unknown = await move(c.id, 'resolved');
    assert.equal(unknown.statusCode, 400);
    const now = (await analyst.inject({ url: `/api/v1/cases/${c.id}` })).json();
    assert.equal(now.state, 'triage');
    assert.equal((await caseEvents(product, c.id)).length, before.length + 1);
  });

  it('keeps case events append-only in the database', async () => {
    const c = await openCase(product, analyst.inject, 'Append only');
    await assert.rejects(
      product.deps.db
        .updateTable('case_events')
        .set({ reason: 'rewritten' })
        .where('case_id', '=', c.id)
        .execute(),
      /append-only/,
    );
    await assert.rejects(
      product.deps.db.deleteFrom('case_events').where('case_id', '=', c.id).execute(),
      /append-only/,
    );
  });

  it('attaches a duplicate report, keeping both and telling both reporters on their status pages', async () => {
    const c = await openCase(product, analyst.inject, 'Default password admin/admin');
    const duplicate = await submitReport(product, 'Same default password');
    const attached = await analyst.inject({
      method: 'POST',
      url: `/api/v1/cases/${c.id}/reports`,
      payload: { reportId: duplicate },
    });
    assert.equal(attached.statusCode, 200, attached.body);
    assert.deepEqual(
      attached.json().reports.map((r: { id: string; relation: string }) => [r.id, r.relation]),
      [
        [c.reportId, 'origin'],
        [duplicate, 'duplicate'],
      ],
    );
    const publicEvents = await product.deps.db
      .selectFrom('report_events')
      .select(['report_id', 'kind'])
      .where('public', '=', true)
      .where('report_id', 'in', [c.reportId, duplicate])
      .where('kind', 'in', ['linked_to_case', 'duplicate_linked'])
      .execute();
    assert.deepEqual(
      publicEvents.map((e) => [e.report_id, e.kind]).sort(),
      [
        [c.reportId, 'duplicate_linked'],
        [duplicate, 'linked_to_case'],
      ].sort(),
    );
    const events = await caseEvents(product, c.id);
    const last = events.at(-1);
    assert.equal(last?.kind, 'REPORT_ATTACHED');
    assert.equal((last?.to as { reportId: string } | undefined)?.reportId, duplicate);
    const twice = await analyst.inject({
      method: 'POST',
      url: `/api/v1/cases/${c.id}/reports`,
      payload: { reportId: duplicate },
    });
    assert.equal(twice.statusCode, 409);
    const other = await openCase(product, analyst.inject, 'Another case');
    const token = await product.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { title: 'Third', description: 'd' },
    });
    const third = await product.deps.db
      .selectFrom('reports')
      .select('id')
      .where('tracking_id', '=', token.json().trackingId)
      .executeTakeFirstOrThrow();
    await analyst.inject({
      method: 'POST',
      url: `/api/v1/cases/${c.id}/reports`,
      payload: { reportId: third.id },
    });
    const page = await product.app.inject({ url: `/status/${token.json().statusToken}` });
    assert.match(page.body, /Linked to a case our team already handles for the same issue/);
    const stolen = await analyst.inject({
      method: 'POST',
      url: `/api/v1/cases/${other.id}/reports`,
      payload: { reportId: duplicate },
    });
    assert.equal(stolen.statusCode, 409);
  });
});
