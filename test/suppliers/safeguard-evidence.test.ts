import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { sha256Hex } from '../../src/platform/clock.ts';
import { signInAs, type TestSession } from '../support/auth.ts';
import { multipartBody } from '../support/multipart.ts';
import { engine, startTestProduct, storedBlobs } from '../support/product.ts';
import { countRows } from '../support/rows.ts';
import { addSupplier, auditEntries } from './fixtures.ts';

const maxBytes = 4096;

describe(`safeguard evidence files (${engine})`, () => {
  let product: Awaited<ReturnType<typeof startTestProduct>>;
  let analyst: TestSession;
  let auditor: TestSession;
  before(async () => {
    product = await startTestProduct({ env: { MAX_ATTACHMENT_BYTES: String(maxBytes) } });
    analyst = await signInAs(product, 'analyst');
    auditor = await signInAs(product, 'auditor');
  });
  after(() => product.stop());

  const upload = (
    session: TestSession,
    supplierId: string,
    key: string,
    file: { filename: string; content: Buffer | string; type?: string },
  ) => {
    const { payload, headers } = multipartBody([{ name: 'file', ...file }]);
    return session.inject({
      method: 'POST',
      url: `/api/v1/suppliers/${supplierId}/safeguards/${key}/evidence`,
      payload,
      headers,
    });
  };

  it('stores an uploaded file content-addressed, with a harmless name, and serves it back as a download', async () => {
    const supplier = await addSupplier(product);
    const content = Buffer.from('%PDF-1.7 signed manufacturing agreement, clause 14');
    const response = await upload(analyst, supplier.id, 'vulnerability-reporting', {
      filename: '../../etc/contract\u202Efdp.exe<script>.pdf',
      content,
      type: 'application/pdf',
    });
    assert.equal(response.statusCode, 201, response.body);
    const item = response.json().items.find((i: { key: string }) => i.key === 'vulnerability-reporting');
    assert.equal(item.status, 'missing', 'uploading evidence changes no status');
    assert.equal(item.evidenceFile.sha256, sha256Hex(content));
    assert.equal(item.evidenceFile.fileName, 'contractfdp.exe_script_.pdf');
    const stored = storedBlobs(product.dataDir).filter((file) => file.endsWith(sha256Hex(content)));
    assert.equal(stored.length, 1);
    assert.deepEqual(fs.readFileSync(stored[0] as string), content);

    const download = await auditor.inject({ url: item.evidenceFile.downloadUrl });
    assert.equal(download.statusCode, 200, download.body);
    assert.deepEqual(download.rawPayload, content);
    assert.equal(download.headers['content-type'], 'application/pdf');
    assert.match(
      String(download.headers['content-disposition']),
      /^attachment; filename="contractfdp.exe_script_.pdf"/,
    );

    const [audited] = await auditEntries(product, 'SUPPLIER_EVIDENCE_UPLOADED', supplier.id);
    assert.ok(audited);
    const history = await analyst.inject({ url: `/api/v1/suppliers/${supplier.id}/safeguards/history` });
    assert.equal(history.json().events[0].kind, 'evidence-uploaded');
  });

  it('serves HTML evidence as bytes to download, never as a page', async () => {
    const supplier = await addSupplier(product);
    const response = await upload(analyst, supplier.id, 'right-to-audit', {
      filename: 'audit.html',
      content: '<script>alert(1)</script>',
      type: 'text/html',
    });
    assert.equal(response.statusCode, 201, response.body);
    const url = response.json().items.find((i: { key: string }) => i.key === 'right-to-audit')
      .evidenceFile.downloadUrl;
    const download = await analyst.inject({ url });
    assert.equal(download.headers['content-type'], 'application/octet-stream');
    assert.match(String(download.headers['content-disposition']), /^attachment;/);
  });

  it('refuses a file over the size limit and stores nothing', async () => {
    const supplier = await addSupplier(product);
    const blobsBefore = storedBlobs(product.dataDir).length;
    const filesBefore = await countRows(product, 'supplier_evidence_files');
    const response = await upload(analyst, supplier.id, 'sbom-with-firmware', {
      filename: 'huge.bin',
      content: Buffer.alloc(maxBytes + 1, 7),
    });
    assert.equal(response.statusCode, 413, response.body);
    assert.equal(response.json().error, 'TOO_LARGE');
    assert.equal(storedBlobs(product.dataDir).length, blobsBefore);
    assert.equal(await countRows(product, 'supplier_evidence_files'), filesBefore);
  });

  it('refuses an upload without a file, with an empty file, or not as multipart', async () => {
    const supplier = await addSupplier(product);
    const url = `/api/v1/suppliers/${supplier.id}/safeguards/sbom-with-firmware/evidence`;
    const noFile = multipartBody([{ name: 'note', value: 'here it is' }]);
    const wrongField = await analyst.inject({ method: 'POST', url, ...noFile });
    assert.equal(wrongField.statusCode, 400, wrongField.body);
    const empty = await upload(analyst, supplier.id, 'sbom-with-firmware', {
      filename: 'e.pdf',
      content: '',
    });
    assert.equal(empty.statusCode, 400, empty.body);
    const json = await analyst.inject({ method: 'POST', url, payload: { file: 'x' } });
    assert.equal(json.statusCode, 415, json.body);
    assert.equal(
      (await analyst.inject({ url: `/api/v1/suppliers/${supplier.id}/safeguards` })).json().items[3]
        .evidenceFile,
      null,
    );
  });

  it('lets a supplier user add evidence for its own supplier only, and keeps earlier files downloadable', async () => {
    const own = await addSupplier(product);
    const other = await addSupplier(product);
    const user = await signInAs(product, 'supplier', { supplierId: own.id, name: 'Factory QA' });
    const first = await upload(analyst, own.id, 'sbom-with-firmware', {
      filename: 'v1.json',
      content: '{"v":1}',
    });
    assert.equal(first.statusCode, 201);
    const second = await upload(user, own.id, 'sbom-with-firmware', {
      filename: 'v2.json',
      content: '{"v":2}',
    });
    assert.equal(second.statusCode, 201, second.body);
    const item = second.json().items.find((i: { key: string }) => i.key === 'sbom-with-firmware');
    assert.equal(item.evidenceFile.fileName, 'v2.json');
    assert.equal(item.status, 'missing');
    assert.match(item.updatedBy, /^Factory QA </);

    const older = await user.inject({
      url: `/api/v1/suppliers/${own.id}/safeguards/sbom-with-firmware/evidence/${sha256Hex('{"v":1}')}`,
    });
    assert.equal(older.statusCode, 200);
    assert.equal(older.body, '{"v":1}');

    const elsewhere = await upload(user, other.id, 'sbom-with-firmware', {
      filename: 'x.json',
      content: 'x',
    });
    assert.equal(elsewhere.statusCode, 404, elsewhere.body);
    const otherFile = await upload(analyst, other.id, 'right-to-audit', {
      filename: 'o.pdf',
      content: 'other',
    });
    assert.equal(otherFile.statusCode, 201);
    const peek = await user.inject({
      url: `/api/v1/suppliers/${other.id}/safeguards/right-to-audit/evidence/${sha256Hex('other')}`,
    });
    assert.equal(peek.statusCode, 404);
  });

  it('finds only files attached to that item of that supplier', async () => {
    const a = await addSupplier(product);
    const b = await addSupplier(product);
    await upload(analyst, a.id, 'right-to-audit', { filename: 'a.pdf', content: 'only for a' });
    const sha = sha256Hex('only for a');
    const cases = [
      `/api/v1/suppliers/${b.id}/safeguards/right-to-audit/evidence/${sha}`,
      `/api/v1/suppliers/${a.id}/safeguards/security-fixes/evidence/${sha}`,
      `/api/v1/suppliers/${a.id}/safeguards/right-to-audit/evidence/${'0'.repeat(64)}`,
      `/api/v1/suppliers/${a.id}/safeguards/right-to-audit/evidence/..%2F..%2Fetc%2Fpasswd`,
    ];
    for (const url of cases) assert.equal((await analyst.inject({ url })).statusCode, 404, url);
  });

  it('refuses uploads from auditors before reading the body', async () => {
    const supplier = await addSupplier(product);
    const response = await upload(auditor, supplier.id, 'right-to-audit', {
      filename: 'a.pdf',
      content: 'x',
    });
    assert.equal(response.statusCode, 403);
  });
});
