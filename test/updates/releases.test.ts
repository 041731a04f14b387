import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { caseEvents, openCase } from '../cases/fixtures.ts';
import { insertSupplier, linkSupplier, type TestProductHandle } from '../inventory/fixtures.ts';
import { signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { countRows } from '../support/rows.ts';
import { createUpdatableModel, firmwareBytes, releaseFirmware, uploadFirmware } from './fixtures.ts';

describe(`releases (${engine})`, () => {
  let product: TestProductHandle;
  let admin: TestSession;
  let analyst: TestSession;
  let supplier: TestSession;
  let otherSupplier: TestSession;
  let model: { id: string; slug: string; productSlug: string };
  let otherModel: { id: string; slug: string; productSlug: string };
  let artifact: { id: string; sha256: string };

  before(async () => {
    product = await startTestProduct();
    admin = await signInAs(product, 'admin');
    analyst = await signInAs(product, 'analyst');
    model = await createUpdatableModel(analyst.inject, ['A', 'B', 'C']);
    otherModel = await createUpdatableModel(analyst.inject);
    const builds = await insertSupplier(product, `rel-builder-${process.pid}`);
    await linkSupplier(product, model.id, builds);
    const elsewhere = await insertSupplier(product, `rel-elsewhere-${process.pid}`);
    await linkSupplier(product, otherModel.id, elsewhere);
    supplier = await signInAs(product, 'supplier', { supplierId: builds });
    otherSupplier = await signInAs(product, 'supplier', { supplierId: elsewhere });
    artifact = await uploadFirmware(analyst.inject, model.id, firmwareBytes(5000, 'rel'), 'cam-2.0.0.bin');
  });
  after(() => product.stop());

  it('creates a release with the next release counter, a target path, the cases it fixes and an audit entry', async () => {
    const fixed = await openCase(product, analyst.inject, 'Overflow in the RTSP parser');
    const first = await releaseFirmware(analyst.inject, model.id, {
      artifactId: artifact.id,
      version: '2.0.0',
      hardwareRevisions: ['A', 'B'],
      installOver: '>= 1.0.0, < 2.0.0',
      fixesCases: [fixed.id],
    } as never);
    assert.equal(first.releaseCounter, 1);
    assert.equal(first.state, 'awaiting-signature');
    assert.equal(first.signedInTargetsVersion, null);
    assert.equal(first.targetPath, `${model.productSlug}/${model.slug}/1/cam-2.0.0.bin`);
    assert.deepEqual(first.fixesCases, [fixed.id]);
    assert.deepEqual(first.hardwareRevisions, ['A', 'B']);
    assert.equal(first.installOver, '>= 1.0.0, < 2.0.0');
    assert.equal(first.artifact.sha256, artifact.sha256);

    const second = await releaseFirmware(admin.inject, model.id, {
      artifactId: artifact.id,
      version: '2.0.1',
    });
    assert.equal(second.releaseCounter, 2, 'counters only go up');

    // The version is in the inventory now.
    const firmware = await analyst.inject({ method: 'GET', url: `/api/v1/models/${model.id}/firmware` });
    const versions = firmware.json().items.map((item: { version: string }) => item.version);
    assert.ok(versions.includes('2.0.0') && versions.includes('2.0.1'), versions.join());

    const audit = await product.deps.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('subject_id', '=', first.id)
      .execute();
    assert.deepEqual(
      audit.map((row) => row.action),
      ['RELEASE_CREATED'],
    );
    const events = await caseEvents(product, fixed.id);
    const released = events.find((event) => event.kind === 'RELEASE_CREATED');
    assert.ok(released, 'the fixed case records the release');
    assert.equal((released.to as { releaseId: string }).releaseId, first.id);
    const caseView = await analyst.inject({ method: 'GET', url: `/api/v1/cases/${fixed.id}` });
    assert.equal(caseView.statusCode, 200, caseView.body);
    const list = await analyst.inject({ method: 'GET', url: `/api/v1/models/${model.id}/releases` });
    assert.deepEqual(
      list.json().items.map((item: { releaseCounter: number }) => item.releaseCounter),
      [2, 1],
    );
  });

  it('refuses bad input with clear 400s and keeps nothing', async () => {
    const before = await countRows(product, 'releases');
    const otherArtifact = await uploadFirmware(
      analyst.inject,
      otherModel.id,
      firmwareBytes(100, 'other'),
      'other.bin',
    );
    const attempts: [object, string][] = [
      [{ artifactId: otherArtifact.id }, 'artifactId'],
      [{ artifactId: crypto.randomUUID() }, 'artifactId'],
      [{ hardwareRevisions: ['Z'] }, 'hardwareRevisions'],
      [{ installOver: '>= 2.0 <' }, 'installOver'],
      [{ version: ' 2.0 ' }, 'version'],
      [{ fixesCases: [crypto.randomUUID()] }, 'fixesCases'],
    ];
    for (const [change, field] of attempts) {
      const response = await analyst.inject({
        method: 'POST',
        url: `/api/v1/models/${model.id}/releases`,
        payload: {
          artifactId: artifact.id,
          version: '3.0.0',
          hardwareRevisions: ['A'],
          installOver: '*',
          ...change,
        },
      });
      assert.equal(response.statusCode, 400, `${JSON.stringify(change)}: ${response.body}`);
      assert.ok(JSON.stringify(response.json()).includes(field), response.body);
    }
    const empty = await analyst.inject({
      method: 'POST',
      url: `/api/v1/models/${model.id}/releases`,
      payload: { artifactId: artifact.id, version: '3.0.0', hardwareRevisions: [], installOver: '*' },
    });
    assert.equal(empty.statusCode, 400);
    const unknownModel = await analyst.inject({
      method: 'POST',
      url: `/api/v1/models/${crypto.randomUUID()}/releases`,
      payload: { artifactId: artifact.id, version: '3.0.0', hardwareRevisions: ['A'], installOver: '*' },
    });
    assert.equal(unknownModel.statusCode, 404);
    assert.equal(await countRows(product, 'releases'), before);
  });

  it('lets suppliers read the releases of their own models only', async () => {
    const release = await releaseFirmware(analyst.inject, model.id, {
      artifactId: artifact.id,
      version: '2.1.0',
    });
    const own = await supplier.inject({ method: 'GET', url: `/api/v1/releases/${release.id}` });
    assert.equal(own.statusCode, 200);
    assert.equal(
      (await supplier.inject({ method: 'GET', url: `/api/v1/models/${model.id}/releases` })).statusCode,
      200,
    );
    assert.equal(
      (await otherSupplier.inject({ method: 'GET', url: `/api/v1/releases/${release.id}` })).statusCode,
      404,
    );
    assert.equal(
      (await otherSupplier.inject({ method: 'GET', url: `/api/v1/models/${model.id}/releases` })).statusCode,
      404,
    );
    const create = await supplier.inject({
      method: 'POST',
      url: `/api/v1/models/${model.id}/releases`,
      payload: { artifactId: artifact.id, version: '9.0.0', hardwareRevisions: ['A'], installOver: '*' },
    });
    assert.equal(create.statusCode, 403);
  });

  it('lets an admin withdraw a release once, audited', async () => {
    const fixed = await openCase(product, analyst.inject, 'Weak TLS defaults');
    const release = await releaseFirmware(analyst.inject, model.id, {
      artifactId: artifact.id,
      version: '2.2.0',
      fixesCases: [fixed.id],
    } as never);
    const byAnalyst = await analyst.inject({
      method: 'POST',
      url: `/api/v1/releases/${release.id}/withdraw`,
      payload: { reason: 'bricks B units' },
    });
    assert.equal(byAnalyst.statusCode, 403);
    const withdrawn = await admin.inject({
      method: 'POST',
      url: `/api/v1/releases/${release.id}/withdraw`,
      payload: { reason: 'bricks B units' },
    });
    assert.equal(withdrawn.statusCode, 200, withdrawn.body);
    assert.equal(withdrawn.json().state, 'withdrawn');
    assert.ok(withdrawn.json().withdrawnAt);
    const again = await admin.inject({
      method: 'POST',
      url: `/api/v1/releases/${release.id}/withdraw`,
      payload: { reason: 'twice' },
    });
    assert.equal(again.statusCode, 409);
    const audit = await product.deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', release.id)
      .orderBy('at')
      .execute();
    assert.deepEqual(
      audit.map((row) => row.action),
      ['RELEASE_CREATED', 'RELEASE_WITHDRAWN'],
    );
    const withdrawnEvent = (await caseEvents(product, fixed.id)).find((e) => e.kind === 'RELEASE_WITHDRAWN');
    assert.equal(withdrawnEvent?.reason, 'bricks B units');
  });
});
