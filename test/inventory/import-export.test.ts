import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import type { TestProductHandle } from './fixtures.ts';

const document = {
  format: 'openpsirt-inventory',
  version: 1,
  products: [
    {
      slug: 'gw-router',
      name: 'GW Router',
      description: 'Home router, "mesh" capable',
      models: [
        {
          slug: 'gw-ax3000',
          name: 'GW AX3000',
          hardwareRevisions: ['v1', 'v2.1'],
          remoteUpdate: true,
          supportEnds: '2030-06-30',
          suppliers: [{ supplier: 'transfer-odm', relation: 'builds' }],
          firmware: [
            { version: '1.0.0-rc.1', releaseDate: '2025-01-10', notes: '' },
            { version: '1.0.0', releaseDate: '2025-02-01', notes: 'Line one\nline two, with a comma' },
            { version: 'V1.0.1_build77', releaseDate: null, notes: '=HYPERLINK("x")' },
          ],
        },
        {
          slug: 'gw-lite',
          name: 'GW Lite',
          hardwareRevisions: [],
          remoteUpdate: false,
          supportEnds: null,
          suppliers: [],
          firmware: [],
        },
      ],
    },
    { slug: 'empty-line', name: 'Empty Line', description: '', models: [] },
  ],
};

describe(`inventory import and export (${engine})`, () => {
  let source: TestProductHandle;
  let target: TestProductHandle;
  let sourceAnalyst: TestSession;
  let targetAnalyst: TestSession;

  before(async () => {
    [source, target] = await Promise.all([
      startTestProduct({ demo: false }),
      startTestProduct({ demo: false }),
    ]);
    sourceAnalyst = await signInAs(source, 'analyst');
    targetAnalyst = await signInAs(target, 'analyst');
    for (const product of [source, target]) {
      await product.deps.db
        .insertInto('suppliers')
        .values({ slug: 'transfer-odm', name: 'Transfer ODM' })
        .execute();
    }
  });
  after(async () => {
    await Promise.all([source.stop(), target.stop()]);
  });

  const exportAs = async (as: TestSession, format: 'json' | 'csv') => {
    const response = await as.inject({ url: `/api/v1/inventory/export?format=${format}` });
    assert.equal(response.statusCode, 200, response.body);
    return response;
  };

  it('imports a JSON document and exports it back unchanged, as JSON and CSV, into a fresh product', async () => {
    const imported = await sourceAnalyst.inject({
      method: 'POST',
      url: '/api/v1/inventory/import',
      payload: document,
    });
    assert.equal(imported.statusCode, 200, imported.body);
    assert.deepEqual(imported.json(), {
      dryRun: false,
      products: { created: 2, updated: 0, unchanged: 0 },
      models: { created: 2, updated: 0, unchanged: 0 },
      firmware: { created: 3, updated: 0, unchanged: 0 },
    });
    const json = (await exportAs(sourceAnalyst, 'json')).json();
    // Exported by product slug, then model slug, then version.
    const bySlug = {
      ...document,
      products: [...document.products].sort((a, b) => a.slug.localeCompare(b.slug)),
    };
    assert.deepEqual(json, bySlug);

    const csv = (await exportAs(sourceAnalyst, 'csv')).body;
    assert.match(csv, /^product_slug,product_name,/);
    assert.match(csv, /'=HYPERLINK/, 'a formula is defused for spreadsheets');
    const intoTarget = await targetAnalyst.inject({
      method: 'POST',
      url: '/api/v1/inventory/import',
      headers: { 'content-type': 'text/csv' },
      payload: csv,
    });
    assert.equal(intoTarget.statusCode, 200, intoTarget.body);
    assert.deepEqual(
      (await exportAs(targetAnalyst, 'json')).json(),
      json,
      'CSV round trip keeps every field',
    );
    assert.equal((await exportAs(targetAnalyst, 'csv')).body, csv);

    const again = await targetAnalyst.inject({
      method: 'POST',
      url: '/api/v1/inventory/import',
      payload: json,
    });
    assert.deepEqual(
      again.json().firmware,
      { created: 0, updated: 0, unchanged: 3 },
      'importing the same again changes nothing',
    );
    assert.deepEqual(again.json().models, { created: 0, updated: 0, unchanged: 2 });
  });

  it('updates by slug and version, keeps fields left out, and counts; a dry run saves nothing', async () => {
    const change = {
      products: [
        {
          slug: 'gw-router',
          models: [
            {
              slug: 'gw-ax3000',
              supportEnds: '2031-12-31',
              firmware: [{ version: '1.0.0', notes: 'Fixed notes' }, { version: '1.1.0' }],
            },
          ],
        },
      ],
    };
    const dry = await sourceAnalyst.inject({
      method: 'POST',
      url: '/api/v1/inventory/import?dryRun=true',
      payload: change,
    });
    assert.equal(dry.statusCode, 200, dry.body);
    assert.deepEqual(dry.json().firmware, { created: 1, updated: 1, unchanged: 0 });
    const before = (await exportAs(sourceAnalyst, 'json')).json();
    const real = await sourceAnalyst.inject({
      method: 'POST',
      url: '/api/v1/inventory/import',
      payload: change,
    });
    assert.deepEqual(real.json(), { ...dry.json(), dryRun: false });
    const after = (await exportAs(sourceAnalyst, 'json')).json();
    assert.notDeepEqual(after, before);
    const model = after.products
      .find((p: { slug: string }) => p.slug === 'gw-router')
      .models.find((m: { slug: string }) => m.slug === 'gw-ax3000');
    assert.equal(model.supportEnds, '2031-12-31');
    assert.equal(model.name, 'GW AX3000', 'a field left out keeps its value');
    assert.deepEqual(model.hardwareRevisions, ['v1', 'v2.1']);
    assert.deepEqual(
      model.firmware.map((f: { version: string; notes: string }) => [f.version, f.notes]),
      [
        ['1.0.0-rc.1', ''],
        ['1.0.0', 'Fixed notes'],
        ['V1.0.1_build77', '=HYPERLINK("x")'],
        ['1.1.0', ''],
      ],
    );
  });

  it('refuses a JSON import with a path for every problem and changes nothing', async () => {
    const before = (await exportAs(sourceAnalyst, 'json')).json();
    const bad = {
      products: [
        {
          slug: 'gw-router',
          models: [{ slug: 'gw-ax3000', firmware: [{ version: '2.0' }, { version: '2.0' }] }],
        },
        { slug: 'new-thing', models: [{ slug: 'Bad Slug', name: 'X', supportEnds: '2030-13-01' }] },
        {
          slug: 'another',
          name: 'Another',
          models: [{ slug: 'a1', name: 'A1', suppliers: [{ supplier: 'nobody', relation: 'builds' }] }],
        },
      ],
    };
    const response = await sourceAnalyst.inject({
      method: 'POST',
      url: '/api/v1/inventory/import',
      payload: bad,
    });
    assert.equal(response.statusCode, 400, response.body);
    const fields = response.json().fields;
    assert.ok(fields['products[0].models[0].firmware[1].version'], response.body);
    assert.ok(fields['products[1].models[0].slug'], response.body);
    assert.ok(fields['products[1].models[0].supportEnds'], response.body);
    assert.deepEqual((await exportAs(sourceAnalyst, 'json')).json(), before);

    const unknownSupplier = {
      products: [
        {
          slug: 'another',
          name: 'Another',
          models: [{ slug: 'a1', name: 'A1', suppliers: [{ supplier: 'nobody', relation: 'builds' }] }],
        },
      ],
    };
    const second = await sourceAnalyst.inject({
      method: 'POST',
      url: '/api/v1/inventory/import',
      payload: unknownSupplier,
    });
    assert.equal(second.statusCode, 400);
    assert.match(second.json().fields['products[0].models[0].suppliers'], /nobody/);

    // A new product without a name is only found while applying: the transaction is rolled back.
    const late = { products: [{ slug: 'zz-first', name: 'First' }, { slug: 'zz-nameless' }] };
    const third = await sourceAnalyst.inject({
      method: 'POST',
      url: '/api/v1/inventory/import',
      payload: late,
    });
    assert.equal(third.statusCode, 400, third.body);
    assert.ok(third.json().fields['products[1].name'], third.body);
    assert.deepEqual((await exportAs(sourceAnalyst, 'json')).json(), before, 'zz-first was rolled back');
  });

  it('refuses a CSV import naming the line and column of each problem, and changes nothing', async () => {
    const before = (await exportAs(sourceAnalyst, 'json')).json();
    const csv = [
      'product_slug,product_name,model_slug,model_name,remote_update,firmware_version,release_date',
      'csv-prod,CSV Product,csv-model,CSV Model,true,1.0,2026-01-01',
      'csv-prod,,csv-model,,maybe,1.1,2026-01-02',
      'csv-prod,Other Name,csv-model,,,1.2,2026-02-30',
      ',,,,,,',
      'csv-prod,,csv-model,,,1.0,',
    ].join('\n');
    const response = await sourceAnalyst.inject({
      method: 'POST',
      url: '/api/v1/inventory/import',
      headers: { 'content-type': 'text/csv; charset=utf-8' },
      payload: csv,
    });
    assert.equal(response.statusCode, 400, response.body);
    const fields = response.json().fields;
    assert.ok(fields['line 3: remote_update'], response.body);
    assert.ok(fields['line 4: product_name'], response.body);
    assert.ok(fields['line 5: product_slug'], response.body);
    assert.deepEqual(Object.keys(fields).sort(), [
      'line 3: remote_update',
      'line 4: product_name',
      'line 5: product_slug',
    ]);

    const content = csv
      .split('\n')
      .filter((_line, index) => index !== 2 && index !== 3 && index !== 4)
      .join('\n');
    const second = await sourceAnalyst.inject({
      method: 'POST',
      url: '/api/v1/inventory/import',
      headers: { 'content-type': 'text/csv' },
      payload: `${content.replace('1.0,2026-01-01', '1.0,2026-02-30')}\n`,
    });
    assert.equal(second.statusCode, 400, second.body);
    assert.deepEqual(Object.keys(second.json().fields).sort(), [
      'line 2: release_date',
      'line 3: firmware_version',
    ]);

    const unreadable = await sourceAnalyst.inject({
      method: 'POST',
      url: '/api/v1/inventory/import',
      headers: { 'content-type': 'text/csv' },
      payload: 'product_slug,product_name\na,"unclosed\n',
    });
    assert.equal(unreadable.statusCode, 400, unreadable.body);
    assert.ok(Object.keys(unreadable.json().fields)[0]?.startsWith('line '), unreadable.body);

    const unknown = await sourceAnalyst.inject({
      method: 'POST',
      url: '/api/v1/inventory/import',
      headers: { 'content-type': 'text/csv' },
      payload: 'product_slug,colour\na,red\n',
    });
    assert.match(unknown.json().fields['line 1'], /colour/);
    assert.deepEqual((await exportAs(sourceAnalyst, 'json')).json(), before);
  });
});
