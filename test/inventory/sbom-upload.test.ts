import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct, storedBlobs } from '../support/product.ts';
import { countRows } from '../support/rows.ts';
import {
  createFirmware,
  createModel,
  createProduct,
  cycloneDxJson,
  cycloneDxXml,
  insertSupplier,
  linkSupplier,
  type Part,
  spdxJson,
  type TestProductHandle,
  uploadSbom,
} from './fixtures.ts';

const parts: Part[] = [
  {
    name: 'openssl',
    version: '3.0.2',
    purl: 'pkg:generic/openssl@3.0.2',
    licence: 'Apache-2.0',
    sha256: 'a'.repeat(64),
  },
  { name: 'busybox', version: '1.36.1', purl: 'pkg:generic/busybox@1.36.1', licence: 'GPL-2.0-only' },
  { name: 'lwip', version: '2.1.3', purl: 'pkg:github/lwip-tcpip/lwip@2.1.3' },
  { name: 'vendor-blob' },
];

describe(`SBOM upload (${engine})`, () => {
  let product: TestProductHandle;
  let analyst: TestSession;
  let firmwareId: string;
  before(async () => {
    product = await startTestProduct({ env: { SBOM_MAX_BYTES: '65536' } });
    analyst = await signInAs(product, 'analyst');
    const { id: productId } = await createProduct(analyst.inject);
    const { id: modelId } = await createModel(analyst.inject, productId);
    firmwareId = (await createFirmware(analyst.inject, modelId, '4.2.0')).id;
  });
  after(() => product.stop());

  const newFirmware = async (version: string) => {
    const { id: productId } = await createProduct(analyst.inject);
    const { id: modelId } = await createModel(analyst.inject, productId);
    return (await createFirmware(analyst.inject, modelId, version)).id;
  };

  const stored = async () => ({
    sboms: await countRows(product, 'sboms'),
    components: await countRows(product, 'components'),
    blobs: storedBlobs(product.dataDir).length,
  });

  for (const [label, body, contentType, format] of [
    ['CycloneDX JSON', cycloneDxJson(parts), 'application/vnd.cyclonedx+json', 'cyclonedx-json'],
    ['CycloneDX XML', cycloneDxXml(parts), 'application/vnd.cyclonedx+xml', 'cyclonedx-xml'],
    ['SPDX 2.3 JSON', spdxJson(parts), 'application/spdx+json', 'spdx-json'],
    [
      'CycloneDX JSON sent as application/json',
      cycloneDxJson(parts, '1.4'),
      'application/json',
      'cyclonedx-json',
    ],
    [
      'CycloneDX XML sent as text/xml',
      cycloneDxXml(parts, '1.6'),
      'text/xml; charset=utf-8',
      'cyclonedx-xml',
    ],
  ] as const) {
    it(`imports ${label} and keeps name, version, purl, licences and hashes of every component`, async () => {
      const id = await newFirmware('1.0.0');
      const response = await uploadSbom(analyst.inject, id, body, contentType);
      assert.equal(response.statusCode, 200, response.body);
      const result = response.json();
      assert.equal(result.format, format);
      assert.equal(result.replaced, false);
      assert.equal(result.counts.components, 4);
      assert.equal(result.counts.withPurl, 3);
      assert.equal(result.sha256, crypto.createHash('sha256').update(body).digest('hex'));

      const firmware = (await analyst.inject({ url: `/api/v1/firmware/${id}` })).json();
      assert.equal(firmware.sbom.componentCount, 4);
      assert.equal(firmware.sbom.format, format);
      assert.equal(firmware.sbom.uploadedBy, analyst.user.name);
      const blob = await product.deps.blobs.read(result.sha256);
      assert.equal(blob.toString('utf8'), body, 'the file is kept as uploaded');

      const components = (await analyst.inject({ url: `/api/v1/firmware/${id}/components` })).json();
      assert.equal(components.total, 4);
      const openssl = components.items.find((c: { name: string }) => c.name === 'openssl');
      assert.equal(openssl.version, '3.0.2');
      assert.equal(openssl.purl, 'pkg:generic/openssl@3.0.2');
      assert.deepEqual(openssl.licences, ['Apache-2.0']);
      if (format !== 'cyclonedx-xml')
        assert.deepEqual(openssl.hashes, [{ alg: 'SHA-256', value: 'a'.repeat(64) }]);
      const blobComponent = components.items.find((c: { name: string }) => c.name === 'vendor-blob');
      assert.equal(blobComponent.version, null);
      assert.equal(blobComponent.purl, null);
    });
  }

  it('refuses a malformed SBOM with the position and reason of the first error, and stores nothing', async () => {
    const before = await stored();
    const broken = cycloneDxJson(parts).replace('"name": "busybox",', '"name": "busybox"');
    const response = await uploadSbom(analyst.inject, firmwareId, broken, 'application/vnd.cyclonedx+json');
    assert.equal(response.statusCode, 400, response.body);
    const body = response.json();
    assert.equal(body.error, 'VALIDATION_FAILED');
    const line = broken.split('\n').findIndex((text) => text.includes('"name": "busybox"')) + 2;
    assert.match(
      body.fields.sbom,
      new RegExp(`^${line}:\\d+`),
      `position of the missing comma: ${response.body}`,
    );
    assert.match(body.message, new RegExp(`line ${line}`));

    const schemaBroken = JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      version: 1,
      components: [{ type: 'library' }],
    });
    const second = await uploadSbom(
      analyst.inject,
      firmwareId,
      schemaBroken,
      'application/vnd.cyclonedx+json',
    );
    assert.equal(second.statusCode, 400, second.body);
    assert.match(second.json().fields.sbom, /components\/0|name/);

    const xml = cycloneDxXml(parts).replace('<name>lwip</name>', '<name>lwip</nam>');
    const third = await uploadSbom(analyst.inject, firmwareId, xml, 'application/vnd.cyclonedx+xml');
    assert.equal(third.statusCode, 400, third.body);
    assert.match(third.json().fields.sbom, /^\d+:\d+/);

    assert.deepEqual(await stored(), before);
    const firmware = (await analyst.inject({ url: `/api/v1/firmware/${firmwareId}` })).json();
    assert.equal(firmware.sbom, null);
  });

  it('refuses other media types (415) and files over SBOM_MAX_BYTES (413), storing nothing', async () => {
    const before = await stored();
    const plain = await uploadSbom(analyst.inject, firmwareId, cycloneDxJson(parts), 'text/plain');
    assert.equal(plain.statusCode, 415, plain.body);
    const many = Array.from({ length: 1000 }, (_, i) => ({
      name: `lib${i}`,
      version: '1.0.0',
      purl: `pkg:generic/lib${i}@1.0.0`,
    }));
    const big = cycloneDxJson(many);
    assert.ok(big.length > 65536);
    const large = await uploadSbom(analyst.inject, firmwareId, big, 'application/vnd.cyclonedx+json');
    assert.equal(large.statusCode, 413, large.body);
    assert.deepEqual(await stored(), before);
  });

  it('replaces the SBOM and all its components at once, and keeps the old one when the new one is refused', async () => {
    const id = await newFirmware('2.0.0');
    const first = await uploadSbom(
      analyst.inject,
      id,
      cycloneDxJson(parts),
      'application/vnd.cyclonedx+json',
    );
    assert.equal(first.statusCode, 200, first.body);
    const next: Part[] = [
      { name: 'openssl', version: '3.0.13', purl: 'pkg:generic/openssl@3.0.13' },
      { name: 'mbedtls', version: '3.5.2', purl: 'pkg:github/mbed-tls/mbedtls@3.5.2' },
    ];
    const second = await uploadSbom(analyst.inject, id, spdxJson(next), 'application/spdx+json');
    assert.equal(second.statusCode, 200, second.body);
    assert.equal(second.json().replaced, true);
    const components = (await analyst.inject({ url: `/api/v1/firmware/${id}/components` })).json();
    assert.deepEqual(
      components.items.map((c: { name: string; version: string }) => `${c.name}@${c.version}`),
      ['mbedtls@3.5.2', 'openssl@3.0.13'],
    );
    const rows = await product.deps.db
      .selectFrom('sboms')
      .select('format')
      .where('firmware_version_id', '=', id)
      .execute();
    assert.deepEqual(rows, [{ format: 'spdx-json' }]);

    const refused = await uploadSbom(analyst.inject, id, '{"bomFormat": "CycloneDX", ', 'application/json');
    assert.equal(refused.statusCode, 400);
    const after = (await analyst.inject({ url: `/api/v1/firmware/${id}/components` })).json();
    assert.equal(after.total, 2, 'the refused upload left the current SBOM alone');

    const audit = await product.deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', id)
      .where('action', 'like', 'SBOM_%')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['SBOM_UPLOADED', 'SBOM_REPLACED'],
    );
  });

  it("lets a supplier upload for its own firmware and answers 404 for another supplier's", async () => {
    const supplierId = await insertSupplier(product, 'sbom-supplier');
    const supplier = await signInAs(product, 'supplier', { supplierId });
    const { id: productId } = await createProduct(analyst.inject);
    const { id: ownModel } = await createModel(analyst.inject, productId);
    await linkSupplier(product, ownModel, supplierId);
    const own = (await createFirmware(analyst.inject, ownModel, '1.0')).id;
    const mine = await uploadSbom(
      supplier.inject,
      own,
      cycloneDxJson(parts),
      'application/vnd.cyclonedx+json',
    );
    assert.equal(mine.statusCode, 200, mine.body);
    const before = await stored();
    const other = await uploadSbom(
      supplier.inject,
      firmwareId,
      cycloneDxJson(parts),
      'application/vnd.cyclonedx+json',
    );
    assert.equal(other.statusCode, 404, other.body);
    assert.deepEqual(await stored(), before);
    const auditor = await signInAs(product, 'auditor');
    const denied = await uploadSbom(
      auditor.inject,
      own,
      cycloneDxJson(parts),
      'application/vnd.cyclonedx+json',
    );
    assert.equal(denied.statusCode, 403);
  });
});
