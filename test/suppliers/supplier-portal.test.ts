// The supplier portal end to end: the maker links models to a supplier through the suppliers API,
// and the supplier's user then reads the inventory through the inventory API, seeing only those.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { addModel, addSupplier } from './fixtures.ts';

describe(`supplier portal (${engine})`, () => {
  let product: Awaited<ReturnType<typeof startTestProduct>>;
  let analyst: TestSession;
  let supplierUser: TestSession;
  const own = { model: '', firmware: '', product: '' };
  const other = { model: '', firmware: '', product: '' };

  before(async () => {
    product = await startTestProduct();
    analyst = await signInAs(product, 'analyst');
    const ownSupplier = await addSupplier(product, { name: 'Own Factory' });
    const otherSupplier = await addSupplier(product, { name: 'Other Factory' });
    const ownModel = await addModel(product, { productSlug: 'c200-camera' });
    const otherModel = await addModel(product, { productSlug: 'l1-smart-lock' });
    const sameProductModel = await addModel(product, { productSlug: 'c200-camera' });
    for (const [supplierId, models] of [
      [ownSupplier.id, [{ modelId: ownModel.id, relation: 'builds' }]],
      [
        otherSupplier.id,
        [
          { modelId: otherModel.id, relation: 'builds' },
          { modelId: sameProductModel.id, relation: 'supplies-parts' },
        ],
      ],
    ] as const) {
      const linked = await analyst.inject({
        method: 'PUT',
        url: `/api/v1/suppliers/${supplierId}/models`,
        payload: { models },
      });
      assert.equal(linked.statusCode, 200, linked.body);
    }
    for (const [target, model] of [
      [own, ownModel],
      [other, otherModel],
    ] as const) {
      const firmware = await analyst.inject({
        method: 'POST',
        url: `/api/v1/models/${model.id}/firmware`,
        payload: { version: '2.4.1' },
      });
      assert.equal(firmware.statusCode, 201, firmware.body);
      target.model = model.id;
      target.firmware = firmware.json().id;
      target.product = model.productId;
    }
    supplierUser = await signInAs(product, 'supplier', { supplierId: ownSupplier.id });
  });
  after(() => product.stop());

  it('lists only the products and models of its own supplier', async () => {
    const products = await supplierUser.inject({ url: '/api/v1/products' });
    assert.equal(products.statusCode, 200, products.body);
    assert.deepEqual(
      products.json().items.map((p: { id: string }) => p.id),
      [own.product],
    );
    const models = await supplierUser.inject({ url: `/api/v1/products/${own.product}/models` });
    assert.equal(models.statusCode, 200, models.body);
    assert.deepEqual(
      models.json().items.map((m: { id: string }) => m.id),
      [own.model],
      'a model of the same product linked to another supplier is not listed',
    );
  });

  it("reads its own model's firmware, and finds nothing of another supplier's", async () => {
    const firmware = await supplierUser.inject({ url: `/api/v1/models/${own.model}/firmware` });
    assert.equal(firmware.statusCode, 200, firmware.body);
    assert.deepEqual(
      firmware.json().items.map((f: { id: string }) => f.id),
      [own.firmware],
    );
    assert.equal((await supplierUser.inject({ url: `/api/v1/firmware/${own.firmware}` })).statusCode, 200);
    for (const url of [
      `/api/v1/models/${other.model}`,
      `/api/v1/models/${other.model}/firmware`,
      `/api/v1/firmware/${other.firmware}`,
      `/api/v1/products/${other.product}`,
    ]) {
      assert.equal((await supplierUser.inject({ url })).statusCode, 404, url);
    }
  });

  it('shows "your supplier" with exactly the linked models', async () => {
    const me = await supplierUser.inject({ url: '/api/v1/me/supplier' });
    assert.equal(me.statusCode, 200, me.body);
    assert.equal(me.json().name, 'Own Factory');
    assert.deepEqual(
      me.json().models.map((m: { modelId: string; relation: string }) => [m.modelId, m.relation]),
      [[own.model, 'builds']],
    );
  });
});
