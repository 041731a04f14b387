import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { openCase, type TestProductHandle } from '../cases/fixtures.ts';
import { createTestSupplier, signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { createUpdatableModel } from './fixtures.ts';

describe(`fleet coverage of a case (${engine})`, () => {
  let product: TestProductHandle;
  let analyst: TestSession;

  before(async () => {
    product = await startTestProduct();
    analyst = await signInAs(product, 'analyst');
  });
  after(() => product.stop());

  /** Registers devices of a model: each entry is [installed version or null, count]. */
  const register = async (modelId: string, versions: [string | null, number][]) => {
    const devices = versions.flatMap(([version, count]) =>
      Array.from({ length: count }, () => ({
        serial: `COV-${crypto.randomUUID()}`,
        model: modelId,
        hardwareRevision: 'A',
        installedVersion: version,
        secret: crypto.randomBytes(24).toString('hex'),
      })),
    );
    const response = await analyst.inject({
      method: 'POST',
      url: '/api/v1/devices/import',
      payload: { devices },
    });
    assert.equal(response.statusCode, 200, response.body);
  };

  it('counts exposed, fixed and unknown devices per affected model with the inventory version order', async () => {
    const camera = await createUpdatableModel(analyst.inject);
    const lock = await createUpdatableModel(analyst.inject);
    const untouched = await createUpdatableModel(analyst.inject);
    await register(camera.id, [
      ['1.9.0', 3], // below the range: fixed (never affected)
      ['2.0.0', 4], // exposed
      ['2.4.0', 2], // exposed
      ['2.4.1', 5], // the fixed version
      ['2.10.0', 1], // past it (2.10 > 2.4 in version order, not in string order)
      [null, 2], // unknown
    ]);
    await register(lock.id, [
      ['1.2', 2], // exposed (no fix yet)
      ['1.10', 1], // outside <= 1.2: fixed
    ]);
    await register(untouched.id, [['2.0.0', 7]]);

    const c = await openCase(product, analyst.inject, 'Coverage');
    const empty = await analyst.inject({ url: `/api/v1/cases/${c.id}/coverage` });
    assert.equal(empty.statusCode, 200, empty.body);
    assert.deepEqual(empty.json(), {
      models: [],
      totals: { registered: 0, exposed: 0, fixed: 0, unknown: 0 },
    });

    const put = await analyst.inject({
      method: 'PUT',
      url: `/api/v1/cases/${c.id}/affects`,
      payload: {
        affects: [
          { modelId: camera.id, versionRange: '>= 2.0.0, < 2.4.1', fixedIn: '2.4.1' },
          { modelId: lock.id, versionRange: '<= 1.2' },
        ],
      },
    });
    assert.equal(put.statusCode, 200, put.body);

    const auditor = await signInAs(product, 'auditor');
    const response = await auditor.inject({ url: `/api/v1/cases/${c.id}/coverage` });
    assert.equal(response.statusCode, 200, response.body);
    const byModel = new Map(
      response.json().models.map((m: { modelId: string }) => [m.modelId, m] as [string, object]),
    );
    assert.deepEqual(byModel.get(camera.id), {
      modelId: camera.id,
      modelName: `Camera ${camera.slug}`,
      versionRange: '>= 2.0.0, < 2.4.1',
      fixedIn: '2.4.1',
      registered: 17,
      exposed: 6,
      fixed: 9,
      unknown: 2,
    });
    assert.deepEqual(byModel.get(lock.id), {
      modelId: lock.id,
      modelName: `Camera ${lock.slug}`,
      versionRange: '<= 1.2',
      fixedIn: null,
      registered: 3,
      exposed: 2,
      fixed: 1,
      unknown: 0,
    });
    assert.equal(byModel.size, 2, 'models the case does not affect are left out');
    assert.deepEqual(response.json().totals, { registered: 20, exposed: 8, fixed: 10, unknown: 2 });

    // A device updated to the fixed version moves from exposed to fixed.
    await product.deps.db
      .updateTable('devices')
      .set({ installed_version: '2.4.1' })
      .where('model_id', '=', lock.id)
      .where('installed_version', '=', '1.2')
      .execute();
    const after = (await analyst.inject({ url: `/api/v1/cases/${c.id}/coverage` })).json();
    assert.deepEqual(after.totals, { registered: 20, exposed: 6, fixed: 12, unknown: 2 });
  });

  it('answers 404 for an unknown case and 403 to suppliers', async () => {
    const missing = await analyst.inject({ url: `/api/v1/cases/${crypto.randomUUID()}/coverage` });
    assert.equal(missing.statusCode, 404);
    const c = await openCase(product, analyst.inject, 'Coverage access');
    const supplier = await signInAs(product, 'supplier', { supplierId: await createTestSupplier(product) });
    assert.equal((await supplier.inject({ url: `/api/v1/cases/${c.id}/coverage` })).statusCode, 403);
  });
});
