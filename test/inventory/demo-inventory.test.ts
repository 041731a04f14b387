import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedDemo } from '../../src/demo/seed.ts';
import { signInAs } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { countRows } from '../support/rows.ts';
import type { TestProductHandle } from './fixtures.ts';

describe(`demo inventory (${engine})`, () => {
  let product: TestProductHandle;
  before(async () => {
    product = await startTestProduct({ demo: false });
  });
  after(() => product.stop());

  it('seeds models, firmware, supplier links and SBOMs once, and a search finds the old openssl', async () => {
    await seedDemo(product.deps.db, { blobs: product.deps.blobs });
    const counts = async () => ({
      models: await countRows(product, 'models'),
      firmware: await countRows(product, 'firmware_versions'),
      sboms: await countRows(product, 'sboms'),
      components: await countRows(product, 'components'),
    });
    const first = await counts();
    assert.ok(first.models >= 4 && first.firmware >= 10 && first.sboms >= 4, JSON.stringify(first));
    await seedDemo(product.deps.db, { blobs: product.deps.blobs });
    assert.deepEqual(await counts(), first, 'running it twice changes nothing');

    const analyst = await signInAs(product, 'analyst');
    const hits = (
      await analyst.inject({ url: '/api/v1/components/search?purl=pkg:generic/openssl&range=%3C%203.0.7' })
    ).json();
    assert.deepEqual(
      hits.items.map(
        (hit: { model: { slug: string }; firmware: { version: string } }) =>
          `${hit.model.slug} ${hit.firmware.version}`,
      ),
      ['c200 1.1.0'],
    );
    const factory = await product.deps.db
      .selectFrom('suppliers')
      .select('id')
      .where('slug', '=', 'acme-manufacturing')
      .executeTakeFirstOrThrow();
    const links = await product.deps.db
      .selectFrom('model_suppliers')
      .select('model_id')
      .where('supplier_id', '=', factory.id)
      .execute();
    assert.ok(links.length >= 2, 'the demo factory builds some models');
  });
});
