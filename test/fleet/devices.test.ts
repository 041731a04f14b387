import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertSupplier, linkSupplier, type TestProductHandle } from '../inventory/fixtures.ts';
import { signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { countRows } from '../support/rows.ts';
import { createUpdatableModel } from '../updates/fixtures.ts';
import { deviceKeyPair, deviceSecret, registerDevice, uniqueSerial } from './fixtures.ts';

describe(`device registry (${engine})`, () => {
  let product: TestProductHandle;
  let analyst: TestSession;
  let auditor: TestSession;
  let supplier: TestSession;
  let model: { id: string; slug: string; productSlug: string };
  let otherModel: { id: string; slug: string; productSlug: string };

  before(async () => {
    product = await startTestProduct();
    analyst = await signInAs(product, 'analyst');
    auditor = await signInAs(product, 'auditor');
    model = await createUpdatableModel(analyst.inject, ['A', 'B']);
    otherModel = await createUpdatableModel(analyst.inject, ['X']);
    const builds = await insertSupplier(product, `dev-builder-${process.pid}`);
    await linkSupplier(product, model.id, builds);
    supplier = await signInAs(product, 'supplier', { supplierId: builds });
  });
  after(() => product.stop());

  const importCsv = (csv: string, dryRun = false) =>
    analyst.inject({
      method: 'POST',
      url: `/api/v1/devices/import${dryRun ? '?dryRun=true' : ''}`,
      headers: { 'content-type': 'text/csv' },
      payload: csv,
    });

  it('registers one device with each kind of credential, keeps no secret and audits it', async () => {
    const audits = await countRows(product, 'audit_log');
    const keys = deviceKeyPair();
    const keyed = await registerDevice(analyst.inject, {
      serial: uniqueSerial(),
      model: model.id,
      hardwareRevision: 'A',
      publicKey: keys.publicHex.toUpperCase(),
      tags: ['lab', 'beta'],
      region: 'Europe/Berlin',
      installedVersion: '1.0.0',
    });
    assert.deepEqual(keyed.credential, { kind: 'ed25519', publicKey: keys.publicHex });
    const secret = deviceSecret();
    const secretDevice = await registerDevice(analyst.inject, {
      serial: uniqueSerial(),
      model: `${model.productSlug}/${model.slug}`,
      hardwareRevision: 'B',
      secret,
    });
    assert.deepEqual(secretDevice.credential, { kind: 'secret' });
    const row = await product.deps.db
      .selectFrom('devices')
      .select('credential')
      .where('id', '=', secretDevice.id)
      .executeTakeFirstOrThrow();
    assert.notEqual(row.credential, secret);
    assert.match(row.credential, /^[0-9a-f]{64}$/);
    assert.equal(await countRows(product, 'audit_log'), audits + 2);
    const read = await auditor.inject({ method: 'GET', url: `/api/v1/devices/${keyed.id}` });
    assert.equal(read.statusCode, 200);
    assert.deepEqual(read.json().tags, ['lab', 'beta']);
    assert.equal(read.json().region, 'Europe/Berlin');
  });

  it('refuses a hardware revision the model does not have, a duplicate serial, and two credentials', async () => {
    const before = await countRows(product, 'devices');
    const wrongRevision = await analyst.inject({
      method: 'POST',
      url: '/api/v1/devices',
      payload: { serial: uniqueSerial(), model: model.id, hardwareRevision: 'X', secret: deviceSecret() },
    });
    assert.equal(wrongRevision.statusCode, 400);
    assert.match(wrongRevision.json().fields.hardwareRevision, /not a hardware revision of this model/);
    const serial = uniqueSerial();
    await registerDevice(analyst.inject, {
      serial,
      model: model.id,
      hardwareRevision: 'A',
      secret: deviceSecret(),
    });
    const duplicate = await analyst.inject({
      method: 'POST',
      url: '/api/v1/devices',
      payload: { serial, model: model.id, hardwareRevision: 'A', secret: deviceSecret() },
    });
    assert.equal(duplicate.statusCode, 409);
    const both = await analyst.inject({
      method: 'POST',
      url: '/api/v1/devices',
      payload: {
        serial: uniqueSerial(),
        model: model.id,
        hardwareRevision: 'A',
        secret: deviceSecret(),
        publicKey: deviceKeyPair().publicHex,
      },
    });
    assert.equal(both.statusCode, 400);
    const badKey = await analyst.inject({
      method: 'POST',
      url: '/api/v1/devices',
      payload: { serial: uniqueSerial(), model: model.id, hardwareRevision: 'A', publicKey: 'ab'.repeat(16) },
    });
    assert.equal(badKey.statusCode, 400);
    assert.equal(await countRows(product, 'devices'), before + 1);
  });

  it('imports a CSV list, checks a dry run without saving, and lists by model, version and tag', async () => {
    const serials = [uniqueSerial('CSV'), uniqueSerial('CSV'), uniqueSerial('CSV')];
    const csv = [
      'serial,model,hardware_revision,public_key,secret,installed_version,tags,region',
      `${serials[0]},${model.id},A,${deviceKeyPair().publicHex},,1.0.0,csv-batch;north,Europe/Paris`,
      `${serials[1]},${model.productSlug}/${model.slug},B,,${deviceSecret()},1.0.0,csv-batch,`,
      `${serials[2]},${model.id},A,,${deviceSecret()},0.9.0,csv-batch south,`,
    ].join('\r\n');
    const before = await countRows(product, 'devices');
    const dry = await importCsv(csv, true);
    assert.equal(dry.statusCode, 200, dry.body);
    assert.deepEqual(dry.json(), { dryRun: true, created: 3 });
    assert.equal(await countRows(product, 'devices'), before);
    const real = await importCsv(csv);
    assert.deepEqual(real.json(), { dryRun: false, created: 3 });
    assert.equal(await countRows(product, 'devices'), before + 3);

    const tagged = await auditor.inject({ method: 'GET', url: '/api/v1/devices?tag=csv-batch&limit=2' });
    assert.equal(tagged.json().total, 3);
    assert.equal(tagged.json().items.length, 2);
    const onVersion = await auditor.inject({
      method: 'GET',
      url: `/api/v1/devices?model=${model.id}&version=0.9.0&tag=csv-batch`,
    });
    assert.deepEqual(
      onVersion.json().items.map((d: { serial: string }) => d.serial),
      [serials[2]],
    );
  });

  it('refuses a whole list with line-numbered problems and saves none of it', async () => {
    const taken = uniqueSerial('TAKEN');
    await registerDevice(analyst.inject, {
      serial: taken,
      model: model.id,
      hardwareRevision: 'A',
      secret: deviceSecret(),
    });
    const good = uniqueSerial('OK');
    const csv = [
      'serial,model,hardware_revision,secret,region',
      `${good},${model.id},A,${deviceSecret()},`,
      `${uniqueSerial()},${model.id},Z,${deviceSecret()},`,
      `${good},${model.id},A,${deviceSecret()},`,
      `${uniqueSerial()},${model.id},A,short,`,
      `${uniqueSerial()},${model.id},A,${deviceSecret()},Mars/Olympus`,
    ].join('\n');
    const before = await countRows(product, 'devices');
    const refused = await importCsv(csv);
    assert.equal(refused.statusCode, 400);
    assert.deepEqual(Object.keys(refused.json().fields).sort(), [
      'line 3: hardware_revision',
      'line 4: serial',
      'line 5: secret',
      'line 6: region',
    ]);
    assert.match(refused.json().fields['line 4: serial'], /repeats the serial of line 2/);
    const takenCsv = `serial,model,hardware_revision,secret\n${uniqueSerial()},${model.id},A,${deviceSecret()}\n${taken},${model.id},A,${deviceSecret()}\n`;
    const clash = await importCsv(takenCsv);
    assert.equal(clash.statusCode, 400);
    assert.match(clash.json().fields['line 3: serial'], /registered already/);
    const badHeader = await importCsv('serial,model,colour\nx,y,z\n');
    assert.equal(badHeader.statusCode, 400);
    assert.match(badHeader.json().fields['line 1'], /unknown columns colour/);
    assert.equal(await countRows(product, 'devices'), before);
  });

  it('imports JSON and names problems by path', async () => {
    const refused = await analyst.inject({
      method: 'POST',
      url: '/api/v1/devices/import',
      payload: {
        devices: [
          { serial: uniqueSerial(), model: model.id, hardwareRevision: 'A', secret: deviceSecret() },
          { serial: uniqueSerial(), model: otherModel.id, hardwareRevision: 'A', secret: deviceSecret() },
        ],
      },
    });
    assert.equal(refused.statusCode, 400);
    assert.deepEqual(Object.keys(refused.json().fields), ['devices[1].hardwareRevision']);
    const accepted = await analyst.inject({
      method: 'POST',
      url: '/api/v1/devices/import',
      payload: {
        devices: [
          { serial: uniqueSerial(), model: otherModel.id, hardwareRevision: 'X', secret: deviceSecret() },
          {
            serial: uniqueSerial(),
            model: otherModel.id,
            hardwareRevision: 'X',
            publicKey: deviceKeyPair().publicHex,
          },
        ],
      },
    });
    assert.deepEqual(accepted.json(), { dryRun: false, created: 2 });
  });

  it('shows a supplier the devices of its models only', async () => {
    const mine = await supplier.inject({ method: 'GET', url: '/api/v1/devices?limit=500' });
    assert.equal(mine.statusCode, 200);
    assert.ok(mine.json().total > 0);
    assert.ok(mine.json().items.every((d: { modelId: string }) => d.modelId === model.id));
    const theirs = await auditor.inject({ method: 'GET', url: `/api/v1/devices?model=${otherModel.id}` });
    const other = theirs.json().items[0];
    const hidden = await supplier.inject({ method: 'GET', url: `/api/v1/devices/${other.id}` });
    assert.equal(hidden.statusCode, 404);
  });

  it('imports 100,000 devices in one request within a reasonable time', async () => {
    const lines = ['serial,model,hardware_revision,secret'];
    const prefix = uniqueSerial('BULK');
    // A fixed secret per line keeps building the file cheap; each device's hash is still stored.
    for (let i = 0; i < 100_000; i++) lines.push(`${prefix}-${i},${model.id},A,${'s'.repeat(31)}${i % 10}`);
    const started = performance.now();
    const response = await importCsv(lines.join('\n'));
    const seconds = (performance.now() - started) / 1000;
    assert.equal(response.statusCode, 200, response.body.slice(0, 300));
    assert.equal(response.json().created, 100_000);
    assert.ok(seconds < 120, `took ${seconds.toFixed(1)} s`);
  });
});
