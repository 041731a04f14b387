import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import {
  createModel,
  createProduct,
  insertSupplier,
  linkSupplier,
  type TestProductHandle,
} from '../inventory/fixtures.ts';
import { signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { countRows } from '../support/rows.ts';

const MAX = 64 * 1024;

const firmware = (size: number, seed: string) => {
  const out = Buffer.alloc(size);
  let block = crypto.createHash('sha256').update(seed).digest();
  for (let offset = 0; offset < size; offset += block.length) {
    block.copy(out, offset);
    block = crypto.createHash('sha256').update(block).digest();
  }
  return out;
};

const hex = (algorithm: string, bytes: Buffer) => crypto.createHash(algorithm).update(bytes).digest('hex');

/** Files under the artifact storage, except the temporary folder. */
const storedFiles = (dataDir: string): string[] => {
  const root = path.join(dataDir, 'artifacts');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.parentPath.includes('incoming'))
    .map((entry) => entry.name);
};

describe(`firmware artifacts (${engine})`, () => {
  let product: TestProductHandle;
  let analyst: TestSession;
  let builder: TestSession;
  let partsMaker: TestSession;
  let otherSupplier: TestSession;
  let auditor: TestSession;
  let modelId: string;
  let otherModelId: string;

  before(async () => {
    product = await startTestProduct({ env: { ARTIFACT_MAX_BYTES: String(MAX) } });
    analyst = await signInAs(product, 'analyst');
    auditor = await signInAs(product, 'auditor');
    const { id: productId } = await createProduct(analyst.inject);
    modelId = (await createModel(analyst.inject, productId)).id;
    otherModelId = (await createModel(analyst.inject, productId)).id;
    const buildsIt = await insertSupplier(product, 'artifact-builder');
    await linkSupplier(product, modelId, buildsIt);
    const makesParts = await insertSupplier(product, 'artifact-parts');
    await product.deps.db
      .insertInto('model_suppliers')
      .values({ model_id: modelId, supplier_id: makesParts, relation: 'supplies-parts' })
      .execute();
    const elsewhere = await insertSupplier(product, 'artifact-elsewhere');
    await linkSupplier(product, otherModelId, elsewhere);
    builder = await signInAs(product, 'supplier', { supplierId: buildsIt });
    partsMaker = await signInAs(product, 'supplier', { supplierId: makesParts });
    otherSupplier = await signInAs(product, 'supplier', { supplierId: elsewhere });
  });
  after(() => product.stop());

  const upload = (
    session: TestSession,
    bytes: Buffer | Readable,
    fileName = 'cam-2.4.1.bin',
    model = modelId,
  ) =>
    session.inject({
      method: 'POST',
      url: `/api/v1/models/${model}/artifacts?fileName=${encodeURIComponent(fileName)}`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: bytes,
    });

  it('stores an upload by its SHA-256 with both hashes, and the same bytes again are the same artifact', async () => {
    const bytes = firmware(40_000, 'first');
    const response = await upload(analyst, bytes);
    assert.equal(response.statusCode, 201, response.body);
    const artifact = response.json();
    assert.equal(artifact.sha256, hex('sha256', bytes));
    assert.equal(artifact.sha512, hex('sha512', bytes));
    assert.equal(artifact.size, bytes.length);
    assert.equal(artifact.modelId, modelId);
    assert.ok(storedFiles(product.dataDir).includes(artifact.sha256));

    const again = await upload(analyst, bytes, 'renamed.bin');
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().id, artifact.id);
    const audit = await product.deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', artifact.id)
      .execute();
    assert.deepEqual(
      audit.map((row) => row.action),
      ['FIRMWARE_ARTIFACT_UPLOADED'],
    );
  });

  it('streams the body: a file arriving in chunks is hashed the same', async () => {
    const bytes = firmware(50_000, 'chunked');
    const chunks = Readable.from(
      Array.from({ length: 50 }, (_, i) => bytes.subarray(i * 1000, (i + 1) * 1000)),
    );
    const response = await upload(analyst, chunks, 'chunked.bin');
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.json().sha256, hex('sha256', bytes));
  });

  it('refuses a file over the limit, keeping nothing', async () => {
    const rowsBefore = await countRows(product, 'firmware_artifacts');
    const filesBefore = storedFiles(product.dataDir).length;
    const declared = await upload(analyst, firmware(MAX + 1, 'too big'), 'big.bin');
    assert.equal(declared.statusCode, 413, declared.body);
    assert.equal(declared.json().error, 'TOO_LARGE');
    // Without a declared length (chunked), the limit is enforced while streaming.
    const chunked = Readable.from([firmware(MAX, 'a'), firmware(10, 'b')]);
    const streamed = await upload(analyst, chunked, 'big.bin');
    assert.equal(streamed.statusCode, 413, streamed.body);
    assert.equal(await countRows(product, 'firmware_artifacts'), rowsBefore);
    assert.equal(storedFiles(product.dataDir).length, filesBefore);
    assert.deepEqual(fs.readdirSync(path.join(product.dataDir, 'artifacts', 'incoming')), []);
  });

  it('refuses bad names, other content types and unknown models with clear errors', async () => {
    const bytes = firmware(100, 'small');
    for (const name of ['../etc/passwd', '.hidden', 'a b.bin', 'x'.repeat(201), 'naïve.bin']) {
      const response = await upload(analyst, bytes, name);
      assert.equal(response.statusCode, 400, `${name}: ${response.body}`);
    }
    const json = await analyst.inject({
      method: 'POST',
      url: `/api/v1/models/${modelId}/artifacts?fileName=x.bin`,
      payload: { not: 'a file' },
    });
    assert.equal(json.statusCode, 415);
    const unknown = await upload(analyst, bytes, 'x.bin', crypto.randomUUID());
    assert.equal(unknown.statusCode, 404);
  });

  it('lets only the supplier that builds the model upload, and hides other models from suppliers', async () => {
    const bytes = firmware(1000, 'supplier build');
    const built = await upload(builder, bytes, 'supplier.bin');
    assert.equal(built.statusCode, 201, built.body);
    assert.equal((await upload(partsMaker, bytes, 'parts.bin')).statusCode, 403);
    assert.equal((await upload(otherSupplier, bytes, 'other.bin')).statusCode, 404);
    assert.equal((await upload(auditor, bytes, 'auditor.bin')).statusCode, 403);

    const id = built.json().id;
    assert.equal(
      (await otherSupplier.inject({ method: 'GET', url: `/api/v1/artifacts/${id}` })).statusCode,
      404,
    );
    assert.equal(
      (await otherSupplier.inject({ method: 'GET', url: `/api/v1/artifacts/${id}/content` })).statusCode,
      404,
    );
    assert.equal(
      (await partsMaker.inject({ method: 'GET', url: `/api/v1/artifacts/${id}` })).statusCode,
      200,
    );
    const list = await auditor.inject({ method: 'GET', url: `/api/v1/models/${modelId}/artifacts` });
    assert.ok(list.json().items.some((item: { id: string }) => item.id === id));
  });

  it('serves the bytes with an ETag, 304 on If-None-Match, and byte ranges to resume a download', async () => {
    const bytes = firmware(30_000, 'ranges');
    const { id, sha256 } = (await upload(analyst, bytes, 'ranges.bin')).json();
    const url = `/api/v1/artifacts/${id}/content`;
    const whole = await auditor.inject({ method: 'GET', url });
    assert.equal(whole.statusCode, 200);
    assert.deepEqual(whole.rawPayload, bytes);
    assert.equal(whole.headers.etag, `"${sha256}"`);
    assert.equal(whole.headers['accept-ranges'], 'bytes');
    assert.equal(whole.headers['content-length'], String(bytes.length));
    assert.match(String(whole.headers['content-disposition']), /attachment; filename="ranges.bin"/);

    const notModified = await auditor.inject({
      method: 'GET',
      url,
      headers: { 'if-none-match': `"${sha256}"` },
    });
    assert.equal(notModified.statusCode, 304);
    assert.equal(notModified.rawPayload.length, 0);

    // A download dropped after 12,345 bytes resumes from there.
    const rest = await auditor.inject({
      method: 'GET',
      url,
      headers: { range: 'bytes=12345-', 'if-range': `"${sha256}"` },
    });
    assert.equal(rest.statusCode, 206);
    assert.equal(rest.headers['content-range'], `bytes 12345-29999/30000`);
    assert.deepEqual(Buffer.concat([bytes.subarray(0, 12345), rest.rawPayload]), bytes);

    const suffix = await auditor.inject({ method: 'GET', url, headers: { range: 'bytes=-100' } });
    assert.deepEqual(suffix.rawPayload, bytes.subarray(-100));

    const changed = await auditor.inject({
      method: 'GET',
      url,
      headers: { range: 'bytes=10-', 'if-range': '"other"' },
    });
    assert.equal(changed.statusCode, 200, 'If-Range that does not match: the whole file');
    assert.equal(changed.rawPayload.length, bytes.length);

    const past = await auditor.inject({ method: 'GET', url, headers: { range: 'bytes=30000-' } });
    assert.equal(past.statusCode, 416);
    assert.equal(past.headers['content-range'], 'bytes */30000');
  });
});
