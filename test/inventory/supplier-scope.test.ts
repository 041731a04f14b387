import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import {
  createFirmware,
  createModel,
  createProduct,
  cycloneDxJson,
  insertSupplier,
  linkSupplier,
  type TestProductHandle,
  uploadSbom,
} from './fixtures.ts';

describe(`inventory seen by a supplier (${engine})`, () => {
  let product: TestProductHandle;
  let analyst: TestSession;
  let supplier: TestSession;
  const ids: Record<string, string> = {};

  before(async () => {
    product = await startTestProduct();
    analyst = await signInAs(product, 'analyst');
    const ownSupplier = await insertSupplier(product, 'scope-own');
    const otherSupplier = await insertSupplier(product, 'scope-other');
    supplier = await signInAs(product, 'supplier', { supplierId: ownSupplier });
    ids.shared = (await createProduct(analyst.inject, 'scope-shared')).id;
    ids.foreign = (await createProduct(analyst.inject, 'scope-foreign')).id;
    ids.ownModel = (await createModel(analyst.inject, ids.shared, 'own-model')).id;
    ids.otherModel = (await createModel(analyst.inject, ids.shared, 'other-model')).id;
    ids.foreignModel = (await createModel(analyst.inject, ids.foreign, 'foreign-model')).id;
    await linkSupplier(product, ids.ownModel, ownSupplier);
    await linkSupplier(product, ids.otherModel, otherSupplier);
    ids.ownFirmware = (await createFirmware(analyst.inject, ids.ownModel, '1.0')).id;
    ids.otherFirmware = (await createFirmware(analyst.inject, ids.otherModel, '1.0')).id;
    const sbom = cycloneDxJson([{ name: 'openssl', version: '3.0.2', purl: 'pkg:generic/openssl@3.0.2' }]);
    for (const id of [ids.ownFirmware, ids.otherFirmware]) {
      assert.equal(
        (await uploadSbom(analyst.inject, id as string, sbom, 'application/json')).statusCode,
        200,
      );
    }
  });
  after(() => product.stop());

  it('lists only the products and models linked to its supplier', async () => {
    const products = (await supplier.inject({ url: '/api/v1/products' })).json();
    assert.deepEqual(
      products.items.map((p: { slug: string }) => p.slug),
      ['scope-shared'],
      'demo products and the foreign product are hidden',
    );
    assert.equal(products.items[0].modelCount, 1, 'counts only its own models');
    const models = (await supplier.inject({ url: `/api/v1/products/${ids.shared}/models` })).json();
    assert.deepEqual(
      models.items.map((m: { slug: string }) => m.slug),
      ['own-model'],
    );
    assert.deepEqual(
      models.items[0].suppliers.map((s: { slug: string }) => s.slug),
      ['scope-own'],
    );
    const all = (await analyst.inject({ url: `/api/v1/products/${ids.shared}/models` })).json();
    assert.equal(all.total, 2, 'an analyst sees both');
  });

  it("answers 404 for another supplier's product, model, firmware and components", async () => {
    for (const url of [
      `/api/v1/products/${ids.foreign}`,
      `/api/v1/products/${ids.foreign}/models`,
      `/api/v1/models/${ids.otherModel}`,
      `/api/v1/models/${ids.otherModel}/firmware`,
      `/api/v1/models/${ids.foreignModel}`,
      `/api/v1/firmware/${ids.otherFirmware}`,
      `/api/v1/firmware/${ids.otherFirmware}/components`,
    ]) {
      const response = await supplier.inject({ url });
      assert.equal(response.statusCode, 404, `${url}: ${response.body}`);
    }
    for (const url of [`/api/v1/models/${ids.ownModel}`, `/api/v1/firmware/${ids.ownFirmware}/components`]) {
      assert.equal((await supplier.inject({ url })).statusCode, 200, url);
    }
  });

  it('finds components only in its own firmware, and exports only its own inventory', async () => {
    const found = (
      await supplier.inject({ url: '/api/v1/components/search?purl=pkg:generic/openssl' })
    ).json();
    assert.deepEqual(
      found.items.map((hit: { firmware: { id: string } }) => hit.firmware.id),
      [ids.ownFirmware],
    );
    const everything = (
      await analyst.inject({ url: '/api/v1/components/search?purl=pkg:generic/openssl' })
    ).json();
    assert.equal(everything.total, 2);

    const exported = (await supplier.inject({ url: '/api/v1/inventory/export' })).json();
    assert.deepEqual(
      exported.products.map((p: { slug: string; models: Array<{ slug: string }> }) => [
        p.slug,
        p.models.map((m) => m.slug),
      ]),
      [['scope-shared', ['own-model']]],
    );
  });

  it('may not change the inventory', async () => {
    const attempts = [
      { method: 'PATCH' as const, url: `/api/v1/models/${ids.ownModel}`, payload: { name: 'Mine now' } },
      {
        method: 'POST' as const,
        url: `/api/v1/models/${ids.ownModel}/firmware`,
        payload: { version: '9.9' },
      },
      { method: 'POST' as const, url: '/api/v1/inventory/import', payload: { products: [] } },
    ];
    for (const attempt of attempts) {
      const response = await supplier.inject(attempt);
      assert.equal(response.statusCode, 403, `${attempt.method} ${attempt.url}`);
    }
  });
});
