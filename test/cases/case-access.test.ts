import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as openpgp from 'openpgp';
import { createTestSupplier, signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { openCase, submitReport, type TestProductHandle } from './fixtures.ts';

describe(`cases: who sees what (${engine})`, () => {
  let product: TestProductHandle;
  let analyst: TestSession;
  let auditor: TestSession;
  let supplier: TestSession;
  let ownCase: { id: string; reportId: string };
  let otherCase: { id: string };
  before(async () => {
    product = await startTestProduct();
    analyst = await signInAs(product, 'analyst');
    auditor = await signInAs(product, 'auditor');
    const supplierId = await createTestSupplier(product, 'Radio Modules Inc');
    const otherSupplierId = await createTestSupplier(product, 'Someone Else');
    supplier = await signInAs(product, 'supplier', { supplierId });
    ownCase = await openCase(product, analyst.inject, 'Wi-Fi module firmware leaks PSK');
    otherCase = await openCase(product, analyst.inject, 'Not theirs');
    for (const [c, s] of [
      [ownCase.id, supplierId],
      [otherCase.id, otherSupplierId],
    ] as const) {
      const response = await analyst.inject({
        method: 'PATCH',
        url: `/api/v1/cases/${c}`,
        payload: { supplierId: s, assigneeUserId: analyst.user.id },
      });
      assert.equal(response.statusCode, 200, response.body);
    }
    await analyst.inject({
      method: 'POST',
      url: `/api/v1/cases/${ownCase.id}/transitions`,
      payload: { to: 'triage' },
    });
    await analyst.inject({
      method: 'POST',
      url: `/api/v1/cases/${ownCase.id}/transitions`,
      payload: { to: 'out-of-scope', reason: 'Internal note: vendor blob, reporter is a competitor' },
    });
  });
  after(() => product.stop());

  it('shows a supplier only the cases assigned to it; others answer 404', async () => {
    const list = (await supplier.inject({ url: '/api/v1/cases' })).json();
    assert.deepEqual(
      list.items.map((item: { id: string }) => item.id),
      [ownCase.id],
    );
    assert.equal((await supplier.inject({ url: `/api/v1/cases/${otherCase.id}` })).statusCode, 404);
    const filtered = (await supplier.inject({ url: `/api/v1/cases?supplier=${crypto.randomUUID()}` })).json();
    assert.equal(filtered.total, 0);
  });

  it('gives a supplier a reduced view: no reporters, no assignee, no actors or reasons', async () => {
    const response = await supplier.inject({ url: `/api/v1/cases/${ownCase.id}` });
    assert.equal(response.statusCode, 200);
    const view = response.json();
    assert.equal(view.state, 'out-of-scope');
    assert.equal(view.reports, undefined);
    assert.equal(view.assignee, undefined);
    assert.deepEqual(
      view.events.map((e: { kind: string }) => e.kind),
      ['CASE_OPENED', 'STATE_CHANGED', 'STATE_CHANGED'],
    );
    const body = response.body;
    for (const secret of [ownCase.reportId, analyst.user.email, 'Internal note', 'competitor']) {
      assert.ok(!body.includes(secret), `the supplier view contains ${secret}`);
    }
    const list = (await supplier.inject({ url: '/api/v1/cases' })).json();
    assert.equal(list.items[0].assignee, undefined);
    const staff = (await analyst.inject({ url: `/api/v1/cases/${ownCase.id}` })).json();
    assert.equal(staff.reports.length, 1);
    assert.equal(staff.events.at(-1).reason, 'Internal note: vendor blob, reporter is a competitor');
  });

  it('lets a supplier change nothing and read no raw reports', async () => {
    const attempts = [
      { method: 'PATCH' as const, url: `/api/v1/cases/${ownCase.id}`, payload: { title: 'x' } },
      {
        method: 'POST' as const,
        url: `/api/v1/cases/${ownCase.id}/transitions`,
        payload: { to: 'triage', reason: 'x' },
      },
      { method: 'PUT' as const, url: `/api/v1/cases/${ownCase.id}/affects`, payload: { affects: [] } },
      { method: 'GET' as const, url: '/api/v1/reports' },
      { method: 'GET' as const, url: `/api/v1/reports/${ownCase.reportId}` },
    ];
    for (const attempt of attempts) {
      assert.equal((await supplier.inject(attempt)).statusCode, 403, `${attempt.method} ${attempt.url}`);
    }
  });

  it('lets an auditor read every case and report but change nothing', async () => {
    const list = (await auditor.inject({ url: '/api/v1/cases' })).json();
    assert.equal(list.total, 2);
    const view = (await auditor.inject({ url: `/api/v1/cases/${otherCase.id}` })).json();
    assert.equal(view.reports.length, 1);
    assert.equal((await auditor.inject({ url: `/api/v1/reports/${ownCase.reportId}` })).statusCode, 200);
    // The clocks' time left moves with the real clock; everything else must stay as it was.
    const unchanging = async () => {
      const { clocks: _moving, ...rest } = (
        await auditor.inject({ url: `/api/v1/cases/${otherCase.id}` })
      ).json();
      return rest;
    };
    const before = await unchanging();
    const writes = [
      { method: 'POST' as const, url: '/api/v1/cases', payload: { reportId: ownCase.reportId } },
      { method: 'PATCH' as const, url: `/api/v1/cases/${otherCase.id}`, payload: { title: 'x' } },
      {
        method: 'POST' as const,
        url: `/api/v1/cases/${otherCase.id}/transitions`,
        payload: { to: 'triage' },
      },
    ];
    for (const write of writes) assert.equal((await auditor.inject(write)).statusCode, 403);
    assert.deepEqual(await unchanging(), before);
  });

  it('lists incoming reports with encrypted ones flagged, and decrypts them for staff', async () => {
    const armoredKey = (await product.app.inject({ url: '/.well-known/openpgp-key.asc' })).body;
    const key = await openpgp.readKey({ armoredKey });
    const secret = 'The debug UART prints the root password at boot.';
    const encrypted = await openpgp.encrypt({
      message: await openpgp.createMessage({ text: secret }),
      encryptionKeys: key,
    });
    const reportId = await submitReport(product, 'Encrypted one', {
      description: encrypted,
      encrypted: true,
    });
    const list = (await analyst.inject({ url: '/api/v1/reports' })).json();
    const listed = list.items.find((item: { id: string }) => item.id === reportId);
    assert.equal(listed.encrypted, true);
    assert.ok(
      !list.items.some((item: { id: string }) => item.id === ownCase.reportId),
      'reports in a case are not listed',
    );
    const full = (await analyst.inject({ url: `/api/v1/reports/${reportId}` })).json();
    assert.equal(full.description, secret);
    assert.equal(full.decryptionError, null);
    assert.equal(full.case, null);
    const inCase = (await analyst.inject({ url: `/api/v1/reports/${ownCase.reportId}` })).json();
    assert.equal(inCase.case.id, ownCase.id);
  });
});
