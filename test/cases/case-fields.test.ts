import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestSupplier, signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { caseEvents, openCase, type TestProductHandle } from './fixtures.ts';

describe(`cases: severity, assignment and affected models (${engine})`, () => {
  let product: TestProductHandle;
  let analyst: TestSession;
  let modelId: string;
  before(async () => {
    product = await startTestProduct();
    analyst = await signInAs(product, 'analyst');
    const p = await analyst.inject({
      method: 'POST',
      url: '/api/v1/products',
      payload: { slug: 'cam-7', name: 'Cam 7' },
    });
    const m = await analyst.inject({
      method: 'POST',
      url: `/api/v1/products/${p.json().id}/models`,
      payload: { slug: 'cam-7-eu', name: 'Cam 7 EU' },
    });
    assert.equal(m.statusCode, 201, m.body);
    modelId = m.json().id;
  });
  after(() => product.stop());

  const patch = (caseId: string, payload: object) =>
    analyst.inject({ method: 'PATCH', url: `/api/v1/cases/${caseId}`, payload });

  it('scores CVSS 3.1 and 4.0 vectors and records each change with from and to', async () => {
    const c = await openCase(product, analyst.inject, 'Stack overflow in RTSP');
    const v31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
    const first = await patch(c.id, { cvssVector: v31, cweId: 'cwe-121' });
    assert.equal(first.statusCode, 200, first.body);
    assert.deepEqual(first.json().cvss, { vector: v31, version: '3.1', score: 9.8, severity: 'critical' });
    assert.deepEqual(first.json().cwe, { id: 'CWE-121', name: 'Stack-based Buffer Overflow' });
    const v40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N';
    const second = await patch(c.id, { cvssVector: v40 });
    assert.equal(second.statusCode, 200, second.body);
    assert.equal(second.json().cvss.version, '4.0');
    assert.equal(second.json().severity, second.json().cvss.severity);
    assert.ok(second.json().cvss.score > 0 && second.json().cvss.score < 7);
    const events = (await caseEvents(product, c.id)).filter((e) => e.kind === 'CVSS_CHANGED');
    assert.deepEqual(
      events.map((e) => [
        (e.from as { vector: string } | null)?.vector ?? null,
        (e.to as { vector: string }).vector,
      ]),
      [
        [null, v31],
        [v31, v40],
      ],
    );
    const listed = (await analyst.inject({ url: `/api/v1/cases?severity=${second.json().severity}` })).json();
    assert.ok(listed.items.some((item: { id: string }) => item.id === c.id));
  });

  it('refuses bad vectors and CWE ids and changes nothing', async () => {
    const c = await openCase(product, analyst.inject, 'Bad vectors');
    const before = await caseEvents(product, c.id);
    for (const cvssVector of [
      'AV:N/AC:L',
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H',
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y',
      'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    ]) {
      const response = await patch(c.id, { cvssVector, title: 'Should not change' });
      assert.equal(response.statusCode, 400, cvssVector);
      assert.ok(response.json().fields.cvssVector, cvssVector);
    }
    const badCwe = await patch(c.id, { cweId: '787' });
    assert.equal(badCwe.statusCode, 400);
    assert.ok(badCwe.json().fields.cweId);
    const now = (await analyst.inject({ url: `/api/v1/cases/${c.id}` })).json();
    assert.equal(now.title, 'Bad vectors');
    assert.equal(now.cvss, null);
    assert.deepEqual(await caseEvents(product, c.id), before);
  });

  it('assigns an analyst and a supplier, with events and audit entries, and refuses unknown ones', async () => {
    const c = await openCase(product, analyst.inject, 'Assignments');
    const supplierId = await createTestSupplier(product, 'Lens Maker Ltd');
    const response = await patch(c.id, { assigneeUserId: analyst.user.id, supplierId });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().assignee.id, analyst.user.id);
    assert.deepEqual(response.json().supplier, { id: supplierId, name: 'Lens Maker Ltd' });
    const kinds = (await caseEvents(product, c.id)).map((e) => e.kind);
    assert.deepEqual(kinds.slice(-2), ['ASSIGNEE_CHANGED', 'SUPPLIER_CHANGED']);
    const audit = await product.deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_type', '=', 'case')
      .where('subject_id', '=', c.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['CASE_ASSIGNEE_CHANGED', 'CASE_SUPPLIER_CHANGED'],
    );
    const byAssignee = (await analyst.inject({ url: `/api/v1/cases?assignee=${analyst.user.id}` })).json();
    assert.deepEqual(
      byAssignee.items.map((item: { id: string }) => item.id),
      [c.id],
    );
    const auditor = await signInAs(product, 'auditor');
    const unknownSupplier = await patch(c.id, { supplierId: crypto.randomUUID() });
    assert.equal(unknownSupplier.statusCode, 400);
    assert.ok(unknownSupplier.json().fields.supplierId);
    const notStaff = await patch(c.id, { assigneeUserId: auditor.user.id });
    assert.equal(notStaff.statusCode, 400);
    assert.ok(notStaff.json().fields.assigneeUserId);
    const same = await patch(c.id, { supplierId });
    assert.equal(same.statusCode, 200);
    assert.equal((await caseEvents(product, c.id)).length, kinds.length, 'no event when nothing changed');
  });

  it('sets affected models with version ranges and fixed-in versions, refusing bad ranges and unknown models', async () => {
    const c = await openCase(product, analyst.inject, 'Affects');
    const put = (affects: object[]) =>
      analyst.inject({ method: 'PUT', url: `/api/v1/cases/${c.id}/affects`, payload: { affects } });
    const ok = await put([{ modelId, versionRange: '>= 2.0.0, < 2.4.1', fixedIn: '2.4.1' }]);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json().affects, [
      {
        modelId,
        modelName: 'Cam 7 EU',
        productId: ok.json().affects[0].productId,
        versionRange: '>= 2.0.0, < 2.4.1',
        fixedIn: '2.4.1',
      },
    ]);
    const before = await caseEvents(product, c.id);
    const badRange = await put([{ modelId, versionRange: '>= 2.0 >= 3.0' }]);
    assert.equal(badRange.statusCode, 400);
    assert.ok(badRange.json().fields['affects.0.versionRange']);
    const badModel = await put([{ modelId: crypto.randomUUID(), versionRange: '*' }]);
    assert.equal(badModel.statusCode, 400);
    assert.ok(badModel.json().fields['affects.0.modelId']);
    assert.deepEqual(await caseEvents(product, c.id), before);
    const kept = (await analyst.inject({ url: `/api/v1/cases/${c.id}` })).json();
    assert.equal(kept.affects.length, 1);
    const last = before.at(-1);
    assert.equal(last?.kind, 'AFFECTS_CHANGED');
    assert.deepEqual(last?.from, []);
    const byProduct = (
      await analyst.inject({ url: `/api/v1/cases?product=${kept.affects[0].productId}` })
    ).json();
    assert.deepEqual(
      byProduct.items.map((item: { id: string }) => item.id),
      [c.id],
    );
  });
});
