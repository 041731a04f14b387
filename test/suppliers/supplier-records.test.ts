import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { countRows } from '../support/rows.ts';
import { addModel, addSupplier, auditEntries } from './fixtures.ts';

describe(`supplier records (${engine})`, () => {
  let product: Awaited<ReturnType<typeof startTestProduct>>;
  let analyst: TestSession;
  let auditor: TestSession;
  before(async () => {
    product = await startTestProduct();
    analyst = await signInAs(product, 'analyst');
    auditor = await signInAs(product, 'auditor');
  });
  after(() => product.stop());

  it('creates a supplier with a slug made from its name, and lists and shows it', async () => {
    const created = await analyst.inject({
      method: 'POST',
      url: '/api/v1/suppliers',
      payload: {
        name: 'Hanoi Électronique Assembly',
        country: 'VN',
        contacts: [{ name: 'Linh Tran', email: 'psirt@hanoi-assembly.example', role: 'security contact' }],
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const supplier = created.json();
    assert.equal(supplier.slug, 'hanoi-electronique-assembly');
    assert.equal(supplier.countryName, 'Vietnam');
    assert.equal(created.headers.location, `/api/v1/suppliers/${supplier.id}`);
    assert.deepEqual(supplier.contacts, [
      { name: 'Linh Tran', email: 'psirt@hanoi-assembly.example', role: 'security contact' },
    ]);
    assert.equal(supplier.safeguards.inPlace, 0);
    assert.equal(supplier.safeguards.missing.length, 6);

    const list = await auditor.inject({ url: '/api/v1/suppliers' });
    assert.equal(list.statusCode, 200);
    assert.ok(list.json().suppliers.some((s: { id: string }) => s.id === supplier.id));
    const one = await auditor.inject({ url: `/api/v1/suppliers/${supplier.id}` });
    assert.equal(one.statusCode, 200);
    assert.equal(one.json().name, 'Hanoi Électronique Assembly');
    assert.equal((await auditEntries(product, 'SUPPLIER_CREATED', supplier.id)).length, 1);
  });

  it('refuses bad input with a reason per field and stores nothing', async () => {
    const before = await countRows(product, 'suppliers');
    const cases: Array<[unknown, string, RegExp]> = [
      [{ name: 'A', country: 'UK' }, 'country', /GB/],
      [{ name: 'A', country: 'cn' }, 'country', /upper case: CN/],
      [{ name: 'A', country: 'XX' }, 'country', /ISO 3166-1 alpha-2/],
      [{ name: '   ' }, 'name', /empty/],
      [{ name: 'A', slug: 'Not A Slug' }, 'slug', /lower-case/],
      [{ name: '東莞' }, 'slug', /give a slug/],
      [
        { name: 'A', contacts: [{ name: 'B', email: 'not-an-email', role: 'qa' }] },
        'contacts.0.email',
        /email/,
      ],
      [
        { name: 'A', contacts: [{ name: 'B', email: 'b@x.example', role: 'qa', phone: 'call me' }] },
        'contacts.0.phone',
        /phone/,
      ],
      [{ name: 'A', contacts: [{ name: 'B', email: 'b@x.example' }] }, 'role', /required/],
      [{ name: 'A', owner: 'me' }, 'owner', /not a known field/],
    ];
    for (const [payload, field, reason] of cases) {
      const response = await analyst.inject({
        method: 'POST',
        url: '/api/v1/suppliers',
        payload: payload as object,
      });
      assert.equal(response.statusCode, 400, `${JSON.stringify(payload)}: ${response.body}`);
      const body = response.json();
      assert.equal(body.error, 'VALIDATION_FAILED');
      assert.match(body.fields?.[field] ?? '', reason, `${JSON.stringify(payload)}: ${response.body}`);
    }
    assert.equal(await countRows(product, 'suppliers'), before);
  });

  it('answers 409 for a slug already taken', async () => {
    const existing = await addSupplier(product);
    const response = await analyst.inject({
      method: 'POST',
      url: '/api/v1/suppliers',
      payload: { name: 'Another', slug: existing.slug },
    });
    assert.equal(response.statusCode, 409, response.body);
  });

  it('changes name, country and contacts, auditing from and to; an unchanged PATCH writes nothing', async () => {
    const supplier = await addSupplier(product, { name: 'Old Name', country: 'VN' });
    const response = await analyst.inject({
      method: 'PATCH',
      url: `/api/v1/suppliers/${supplier.id}`,
      payload: {
        name: 'New Name',
        country: 'TW',
        contacts: [
          { name: 'Wei', email: 'wei@x.example', role: 'quality manager', phone: '+886 2 1234 5678' },
        ],
      },
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().name, 'New Name');
    assert.equal(response.json().country, 'TW');
    assert.equal(response.json().contacts[0].phone, '+886 2 1234 5678');
    const [entry] = await auditEntries(product, 'SUPPLIER_UPDATED', supplier.id);
    assert.ok(entry);
    assert.deepEqual((entry.detail as { changes: { name: unknown } }).changes.name, {
      from: 'Old Name',
      to: 'New Name',
    });

    const again = await analyst.inject({
      method: 'PATCH',
      url: `/api/v1/suppliers/${supplier.id}`,
      payload: { name: 'New Name' },
    });
    assert.equal(again.statusCode, 200);
    assert.equal((await auditEntries(product, 'SUPPLIER_UPDATED', supplier.id)).length, 1);

    const bad = await analyst.inject({
      method: 'PATCH',
      url: `/api/v1/suppliers/${supplier.id}`,
      payload: { name: 'Changed', country: 'EU' },
    });
    assert.equal(bad.statusCode, 400);
    const stored = await analyst.inject({ url: `/api/v1/suppliers/${supplier.id}` });
    assert.equal(stored.json().name, 'New Name', 'a refused PATCH changes nothing');
  });

  it('sets the linked models with their relation, refusing unknown models without changing the links', async () => {
    const supplier = await addSupplier(product);
    const camera = await addModel(product);
    const lock = await addModel(product, { productSlug: 'l1-smart-lock' });
    const set = await analyst.inject({
      method: 'PUT',
      url: `/api/v1/suppliers/${supplier.id}/models`,
      payload: {
        models: [
          { modelId: camera.id, relation: 'builds' },
          { modelId: lock.id, relation: 'supplies-parts' },
        ],
      },
    });
    assert.equal(set.statusCode, 200, set.body);
    assert.deepEqual(
      set.json().models.map((m: { modelName: string; relation: string }) => [m.modelName, m.relation]),
      [
        [camera.name, 'builds'],
        [lock.name, 'supplies-parts'],
      ],
    );
    assert.equal((await auditEntries(product, 'SUPPLIER_MODELS_SET', supplier.id)).length, 1);

    const refused = await analyst.inject({
      method: 'PUT',
      url: `/api/v1/suppliers/${supplier.id}/models`,
      payload: {
        models: [
          { modelId: camera.id, relation: 'builds' },
          { modelId: '7d0e2b7e-0000-4000-8000-000000000000', relation: 'builds' },
          { modelId: camera.id, relation: 'builds' },
        ],
      },
    });
    assert.equal(refused.statusCode, 400, refused.body);
    assert.deepEqual(Object.keys(refused.json().fields).sort(), ['models.1.modelId', 'models.2']);
    const after = await analyst.inject({ url: `/api/v1/suppliers/${supplier.id}` });
    assert.equal(after.json().models.length, 2, 'the links are unchanged');

    const cleared = await analyst.inject({
      method: 'PUT',
      url: `/api/v1/suppliers/${supplier.id}/models`,
      payload: { models: [] },
    });
    assert.deepEqual(cleared.json().models, []);
  });

  it('answers 404 for an unknown or malformed supplier id', async () => {
    for (const id of ['7d0e2b7e-0000-4000-8000-000000000000', 'not-a-uuid', "1' or '1'='1"]) {
      const response = await analyst.inject({ url: `/api/v1/suppliers/${encodeURIComponent(id)}` });
      assert.equal(response.statusCode, 404, `${id}: ${response.body}`);
    }
  });

  it('lets an auditor read but not change suppliers', async () => {
    const supplier = await addSupplier(product);
    const writes = [
      { method: 'POST' as const, url: '/api/v1/suppliers', payload: { name: 'By auditor' } },
      { method: 'PATCH' as const, url: `/api/v1/suppliers/${supplier.id}`, payload: { name: 'By auditor' } },
      { method: 'PUT' as const, url: `/api/v1/suppliers/${supplier.id}/models`, payload: { models: [] } },
    ];
    for (const request of writes) {
      const response = await auditor.inject(request);
      assert.equal(response.statusCode, 403, `${request.method} ${request.url}: ${response.body}`);
    }
    assert.equal((await auditor.inject({ url: `/api/v1/suppliers/${supplier.id}` })).statusCode, 200);
  });

  it('shows a supplier user only its own supplier; another supplier is not found', async () => {
    const own = await addSupplier(product, { name: 'Own Factory' });
    const other = await addSupplier(product, { name: 'Other Factory' });
    const model = await addModel(product, { supplierId: own.id });
    const user = await signInAs(product, 'supplier', { supplierId: own.id });

    const list = await user.inject({ url: '/api/v1/suppliers' });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(
      list.json().suppliers.map((s: { id: string }) => s.id),
      [own.id],
    );
    assert.equal((await user.inject({ url: `/api/v1/suppliers/${own.id}` })).statusCode, 200);
    assert.equal((await user.inject({ url: `/api/v1/suppliers/${other.id}` })).statusCode, 404);
    assert.equal((await user.inject({ url: `/api/v1/suppliers/${other.id}/safeguards` })).statusCode, 404);

    const me = await user.inject({ url: '/api/v1/me/supplier' });
    assert.equal(me.statusCode, 200, me.body);
    assert.equal(me.json().id, own.id);
    assert.deepEqual(
      me.json().models.map((m: { modelId: string }) => m.modelId),
      [model.id],
    );

    const patch = await user.inject({
      method: 'PATCH',
      url: `/api/v1/suppliers/${own.id}`,
      payload: { name: 'Renamed by supplier' },
    });
    assert.equal(patch.statusCode, 403);
    assert.equal((await analyst.inject({ url: '/api/v1/me/supplier' })).statusCode, 403);
  });
});
