import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { countRows } from '../support/rows.ts';
import { createFirmware, createModel, createProduct, type TestProductHandle } from './fixtures.ts';

describe(`inventory: products, models and firmware (${engine})`, () => {
  let product: TestProductHandle;
  let analyst: TestSession;
  let auditor: TestSession;
  before(async () => {
    product = await startTestProduct();
    analyst = await signInAs(product, 'analyst');
    auditor = await signInAs(product, 'auditor');
  });
  after(() => product.stop());

  const snapshot = async () => ({
    products: await product.deps.db.selectFrom('products').selectAll().orderBy('id').execute(),
    models: await product.deps.db.selectFrom('models').selectAll().orderBy('id').execute(),
    firmware: await product.deps.db.selectFrom('firmware_versions').selectAll().orderBy('id').execute(),
  });

  it('creates, reads, lists and changes a product, a model and a firmware version', async () => {
    const created = await analyst.inject({
      method: 'POST',
      url: '/api/v1/products',
      payload: { slug: 'x9-hub', name: 'X9 Hub', description: 'Zigbee hub' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const p = created.json();
    assert.equal(p.slug, 'x9-hub');
    assert.equal(p.modelCount, 0);

    const model = await analyst.inject({
      method: 'POST',
      url: `/api/v1/products/${p.id}/models`,
      payload: {
        slug: 'x9-eu',
        name: 'X9 Hub EU',
        hardwareRevisions: ['A', 'B2'],
        remoteUpdate: true,
        supportEnds: '2031-12-31',
      },
    });
    assert.equal(model.statusCode, 201, model.body);
    const m = model.json();
    assert.deepEqual(
      { hw: m.hardwareRevisions, remote: m.remoteUpdate, ends: m.supportEnds, product: m.product.slug },
      { hw: ['A', 'B2'], remote: true, ends: '2031-12-31', product: 'x9-hub' },
    );

    const firmware = await analyst.inject({
      method: 'POST',
      url: `/api/v1/models/${m.id}/firmware`,
      payload: { version: 'V2.1.0_build1234', releaseDate: '2026-10-01', notes: 'First release' },
    });
    assert.equal(firmware.statusCode, 201, firmware.body);
    const f = firmware.json();
    assert.equal(f.model.id, m.id);
    assert.equal(f.product.id, p.id);
    assert.equal(f.sbom, null);

    const read = await auditor.inject({ url: `/api/v1/firmware/${f.id}` });
    assert.equal(read.statusCode, 200);
    assert.equal(read.json().version, 'V2.1.0_build1234');

    const changed = await analyst.inject({
      method: 'PATCH',
      url: `/api/v1/models/${m.id}`,
      payload: { remoteUpdate: false, supportEnds: null },
    });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json().remoteUpdate, false);
    assert.equal(changed.json().supportEnds, null);
    assert.equal(changed.json().name, 'X9 Hub EU', 'fields not given stay as they were');

    const renamed = await analyst.inject({
      method: 'PATCH',
      url: `/api/v1/products/${p.id}`,
      payload: { name: 'X9 Home Hub' },
    });
    assert.equal(renamed.json().name, 'X9 Home Hub');
    assert.equal(renamed.json().modelCount, 1);

    const list = await auditor.inject({ url: '/api/v1/products?limit=500' });
    assert.equal(list.statusCode, 200, list.body);
    assert.ok(list.json().items.some((item: { slug: string }) => item.slug === 'x9-hub'));
    const models = await auditor.inject({ url: `/api/v1/products/${p.id}/models` });
    assert.deepEqual(
      models.json().items.map((item: { slug: string }) => item.slug),
      ['x9-eu'],
    );

    const audit = await product.deps.db
      .selectFrom('audit_log')
      .select(['action', 'subject_id'])
      .where('subject_id', 'in', [p.id, m.id, f.id])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((entry) => entry.action),
      ['PRODUCT_CREATED', 'MODEL_CREATED', 'FIRMWARE_CREATED', 'MODEL_UPDATED', 'PRODUCT_UPDATED'],
    );
  });

  it('refuses bad input with a reason per field and changes nothing', async () => {
    const { id: productId } = await createProduct(analyst.inject);
    const { id: modelId } = await createModel(analyst.inject, productId);
    await createFirmware(analyst.inject, modelId, '1.0.0');
    const before = await snapshot();
    const cases: Array<{
      method: 'POST' | 'PATCH';
      url: string;
      payload: object;
      status: number;
      field?: string;
    }> = [
      {
        method: 'POST',
        url: '/api/v1/products',
        payload: { slug: 'Bad Slug', name: 'X' },
        status: 400,
        field: 'slug',
      },
      {
        method: 'POST',
        url: '/api/v1/products',
        payload: { slug: 'ok-slug', name: '' },
        status: 400,
        field: 'name',
      },
      {
        method: 'POST',
        url: '/api/v1/products',
        payload: { slug: 'ok-slug', name: 'X', owner: 'me' },
        status: 400,
        field: 'owner',
      },
      {
        method: 'POST',
        url: '/api/v1/products',
        payload: { slug: 'c200-camera', name: 'Again' },
        status: 409,
      },
      { method: 'PATCH', url: `/api/v1/products/${productId}`, payload: {}, status: 400 },
      {
        method: 'POST',
        url: `/api/v1/products/${productId}/models`,
        payload: { slug: 'm1', name: 'M1', supportEnds: '2026-02-30' },
        status: 400,
        field: 'supportEnds',
      },
      {
        method: 'POST',
        url: `/api/v1/products/${productId}/models`,
        payload: { slug: 'm1', name: 'M1', hardwareRevisions: ['A', 'A'] },
        status: 400,
        field: 'hardwareRevisions',
      },
      {
        method: 'POST',
        url: `/api/v1/models/${modelId}/firmware`,
        payload: { version: '1.0.0' },
        status: 409,
      },
      {
        method: 'POST',
        url: `/api/v1/models/${modelId}/firmware`,
        payload: { version: ' 1.0.1' },
        status: 400,
        field: 'version',
      },
      {
        method: 'POST',
        url: `/api/v1/models/${modelId}/firmware`,
        payload: { version: '---' },
        status: 400,
        field: 'version',
      },
      {
        method: 'POST',
        url: `/api/v1/models/${modelId}/firmware`,
        payload: { version: '2.0', releaseDate: '01/02/2026' },
        status: 400,
        field: 'releaseDate',
      },
      {
        method: 'POST',
        url: '/api/v1/models/00000000-0000-4000-8000-000000000000/firmware',
        payload: { version: '2.0' },
        status: 404,
      },
      { method: 'PATCH', url: '/api/v1/models/not-a-uuid', payload: { name: 'x' }, status: 400 },
    ];
    for (const c of cases) {
      const response = await analyst.inject({ method: c.method, url: c.url, payload: c.payload });
      assert.equal(
        response.statusCode,
        c.status,
        `${c.method} ${c.url} ${JSON.stringify(c.payload)}: ${response.body}`,
      );
      const body = response.json();
      assert.ok(body.error && body.message, 'a stable error shape');
      if (c.field) assert.ok(body.fields?.[c.field], `names ${c.field}: ${response.body}`);
    }
    assert.deepEqual(await snapshot(), before);
  });

  it('lets auditors read but not write, and anonymous callers do neither', async () => {
    const productsBefore = await countRows(product, 'products');
    const write = await auditor.inject({
      method: 'POST',
      url: '/api/v1/products',
      payload: { slug: 'aud-1', name: 'A' },
    });
    assert.equal(write.statusCode, 403);
    const anonymous = await product.app.inject({ url: '/api/v1/products' });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(await countRows(product, 'products'), productsBefore);
  });

  it('lists firmware in version order whatever the scheme, not in the order added', async () => {
    const { id: productId } = await createProduct(analyst.inject);
    const { id: modelId } = await createModel(analyst.inject, productId);
    const ordered = [
      '0.9',
      'v1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.0_build7',
      '1.0.1',
      '1.2',
      '1.10.0',
      'V2.1.0_build999',
      'V2.1.0_build1234',
      '2.10',
      '20231105',
    ];
    const shuffled = [...ordered].sort(
      (a, b) =>
        ((a.length * 7 + a.charCodeAt(a.length - 1)) % 11) -
        ((b.length * 7 + b.charCodeAt(b.length - 1)) % 11),
    );
    assert.notDeepEqual(shuffled, ordered, 'the test adds them out of order');
    for (const version of shuffled) await createFirmware(analyst.inject, modelId, version);
    const listed = await auditor.inject({ url: `/api/v1/models/${modelId}/firmware` });
    assert.equal(listed.statusCode, 200, listed.body);
    assert.deepEqual(
      listed.json().items.map((f: { version: string }) => f.version),
      ordered,
    );
    assert.equal(listed.json().total, ordered.length);
    const page2 = await auditor.inject({ url: `/api/v1/models/${modelId}/firmware?limit=5&offset=5` });
    assert.deepEqual(
      page2.json().items.map((f: { version: string }) => f.version),
      ordered.slice(5, 10),
    );
    const badPage = await auditor.inject({ url: `/api/v1/models/${modelId}/firmware?limit=0` });
    assert.equal(badPage.statusCode, 400);
  });
});
