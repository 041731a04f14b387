import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { openArtifactStorage } from '../../src/updates/artifacts/choose-storage.ts';
import { exportRepository } from '../../src/updates/tuf/export.ts';
import { runCli } from '../support/cli.ts';
import { engine, freePort, freshDatabase, startTestProduct, tempDir } from '../support/product.ts';
import { startS3Server, type TestS3 } from '../support/s3-server.ts';
import { firmwareBytes, uploadFirmware } from './fixtures.ts';
import { type Repository, startRepository, tufClient } from './tuf-support.ts';

const MAX = 64 * 1024;
const PREFIX = 'openpsirt/';

const keyOf = (sha256: string) => `${PREFIX}sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;

describe(`firmware artifacts in S3-compatible storage (${engine})`, () => {
  let s3: TestS3;
  let repo: Repository;

  before(async () => {
    s3 = await startS3Server();
    repo = await startRepository(s3.env({ S3_PREFIX: 'openpsirt', ARTIFACT_MAX_BYTES: String(MAX) }));
  });
  after(async () => {
    await repo?.stop();
    await s3?.stop();
  });

  const upload = (bytes: Buffer | Readable, fileName = 'cam.bin') =>
    repo.analyst.inject({
      method: 'POST',
      url: `/api/v1/models/${repo.model.id}/artifacts?fileName=${fileName}`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: bytes,
    });
  const incoming = () => fs.readdirSync(path.join(repo.product.dataDir, 'artifacts', 'incoming'));

  it('stores an upload in the bucket under its SHA-256, nothing on disk, and the same file twice once', async () => {
    const bytes = firmwareBytes(40_000, 'into the bucket');
    const first = await upload(bytes, 'first.bin');
    assert.equal(first.statusCode, 201, first.body);
    const { sha256, id } = first.json();
    assert.equal(sha256, crypto.createHash('sha256').update(bytes).digest('hex'));
    assert.ok((await s3.keys()).includes(keyOf(sha256)));
    assert.deepEqual(await s3.object(keyOf(sha256)), bytes);
    assert.deepEqual(incoming(), [], 'the temporary file is gone');
    const onDisk = fs
      .readdirSync(path.join(repo.product.dataDir, 'artifacts'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile());
    assert.deepEqual(onDisk, []);

    const putsBefore = s3.puts.length;
    const again = await upload(bytes, 'again.bin');
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(again.json().id, id);
    assert.equal(s3.puts.length, putsBefore, 'an identical object is not written again');
    assert.equal((await s3.keys()).filter((key) => key === keyOf(sha256)).length, 1);
    assert.deepEqual(incoming(), []);
  });

  it('serves the stored bytes whole, as a byte range, and 304 for a matching ETag', async () => {
    const bytes = firmwareBytes(30_000, 'download from the bucket');
    const { id, sha256 } = (await upload(bytes, 'ranges.bin')).json();
    const url = `/api/v1/artifacts/${id}/content`;
    const whole = await repo.analyst.inject({ method: 'GET', url });
    assert.equal(whole.statusCode, 200);
    assert.equal(whole.headers['content-length'], String(bytes.length));
    assert.deepEqual(whole.rawPayload, bytes);

    const part = await repo.analyst.inject({ method: 'GET', url, headers: { range: 'bytes=12345-12444' } });
    assert.equal(part.statusCode, 206);
    assert.equal(part.headers['content-range'], 'bytes 12345-12444/30000');
    assert.deepEqual(part.rawPayload, bytes.subarray(12345, 12445));

    const notModified = await repo.analyst.inject({
      method: 'GET',
      url,
      headers: { 'if-none-match': `"${sha256}"` },
    });
    assert.equal(notModified.statusCode, 304);
    assert.equal(notModified.rawPayload.length, 0);
  });

  it('serves a signed release from the bucket on the TUF targets route (tuf-js client, a range) and exports it', async () => {
    const { release, bytes, artifact } = await repo.release(25_000);
    await repo.signTargets();
    const client = tufClient(repo.baseUrl, await repo.rootBody(1));
    try {
      await client.updater.refresh();
      const info = await client.updater.getTargetInfo(release.targetPath);
      assert.ok(info, 'the target is listed');
      assert.deepEqual(fs.readFileSync(await client.updater.downloadTarget(info)), bytes);
    } finally {
      client.dispose();
    }
    const { dir, base } = path.posix.parse(release.targetPath);
    const tail = await fetch(`${repo.baseUrl}/tuf/targets/${dir}/${artifact.sha256}.${base}`, {
      headers: { range: 'bytes=-100' },
    });
    assert.equal(tail.status, 206);
    assert.deepEqual(Buffer.from(await tail.arrayBuffer()), bytes.subarray(-100));

    // `openpsirt tuf export` copies the target out of the bucket.
    const out = tempDir('openpsirt-s3-export-');
    try {
      await exportRepository(repo.product.deps, out);
      assert.deepEqual(fs.readFileSync(path.join(out, 'targets', dir, `${artifact.sha256}.${base}`)), bytes);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('refuses a file over the limit, leaving nothing in the bucket nor in the temporary folder', async () => {
    const keysBefore = await s3.keys();
    const declared = await upload(firmwareBytes(MAX + 1, 'too big'), 'big.bin');
    assert.equal(declared.statusCode, 413, declared.body);
    const streamed = await upload(
      Readable.from([firmwareBytes(MAX, 'a'), firmwareBytes(10, 'b')]),
      'big-streamed.bin',
    );
    assert.equal(streamed.statusCode, 413, streamed.body);
    assert.deepEqual(await s3.keys(), keysBefore);
    assert.deepEqual(incoming(), []);
  });

  it('answers "not stored" for a file absent from the bucket, a failing stream when it is read, and 500 when a recorded file is lost', async () => {
    const absent = crypto.createHash('sha256').update('never uploaded').digest('hex');
    assert.equal(await repo.product.deps.artifacts.size(absent), undefined);
    await assert.rejects(text(repo.product.deps.artifacts.open(absent)), /NoSuchKey|does not exist/);
    const stored = await uploadFirmware(
      repo.analyst.inject,
      repo.model.id,
      firmwareBytes(5000, 'sized'),
      's.bin',
    );
    assert.equal(await repo.product.deps.artifacts.size(stored.sha256), 5000);

    // Recorded but lost from the bucket: an error answer, not a hang nor an empty 200.
    await s3.remove(keyOf(stored.sha256));
    const lost = await repo.analyst.inject({ method: 'GET', url: `/api/v1/artifacts/${stored.id}/content` });
    assert.equal(lost.statusCode, 500);
    assert.equal(lost.json().error, 'INTERNAL');
  });
});

describe(`starting with ARTIFACT_STORE=s3 (${engine})`, () => {
  let s3: TestS3;
  before(async () => {
    s3 = await startS3Server();
  });
  after(() => s3?.stop());

  /** Starts the product with these settings and answers the error it fails with. */
  async function startFailure(env: Record<string, string>): Promise<Error> {
    const dataDir = tempDir();
    const database = await freshDatabase();
    try {
      const product = await startTestProduct({
        dataDir,
        env,
        demo: false,
        ...(database.url ? { databaseUrl: database.url } : {}),
      });
      await product.stop();
      assert.fail('the product started');
    } catch (error) {
      return error as Error;
    } finally {
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }

  it('refuses to start when the bucket does not exist, naming it and the endpoint', async () => {
    const error = await startFailure(s3.env({ S3_BUCKET: 'no-such-bucket' }));
    assert.equal(
      error.message,
      `S3 bucket "no-such-bucket" at ${s3.endpoint} is not reachable: it does not exist`,
    );
  });

  it('refuses to open the store when nothing answers at the endpoint, in one line', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const dataDir = tempDir();
    try {
      await assert.rejects(
        openArtifactStorage(loadConfig({ DATA_DIR: dataDir, ...s3.env({ S3_ENDPOINT: endpoint }) })),
        (error: Error) => {
          assert.match(
            error.message,
            new RegExp(`^S3 bucket "firmware" at ${endpoint} is not reachable: .+`),
          );
          assert.ok(!error.message.includes('\n'), 'one line');
          return true;
        },
      );
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('requires a bucket, and both keys or neither, before anything starts', async () => {
    assert.throws(
      () => loadConfig({ ARTIFACT_STORE: 's3', S3_ACCESS_KEY_ID: 'only-one' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.problems, [
          'S3_BUCKET: must be set when ARTIFACT_STORE=s3',
          'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: set both, or neither to use the default credentials',
        ]);
        return true;
      },
    );
    assert.throws(() => loadConfig({ ARTIFACT_STORE: 'ftp' }), /ARTIFACT_STORE="ftp": must be disk or s3/);
    assert.throws(
      () => loadConfig({ ARTIFACT_STORE: 's3', S3_BUCKET: 'b', ARTIFACT_MAX_BYTES: String(6 * 1024 ** 3) }),
      /ARTIFACT_MAX_BYTES: at most 5368709120 \(5 GiB\) when ARTIFACT_STORE=s3/,
    );
    const dataDir = tempDir();
    try {
      const run = await runCli(['serve'], { DATA_DIR: dataDir, ARTIFACT_STORE: 's3' });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /^ {2}- S3_BUCKET: must be set when ARTIFACT_STORE=s3$/m);
      assert.ok(!run.stderr.includes('    at '), 'no stack trace');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('defaults to path-style addressing with an endpoint, and ends a prefix with a slash', () => {
    const withEndpoint = loadConfig({
      ARTIFACT_STORE: 's3',
      S3_BUCKET: 'fw',
      S3_ENDPOINT: 'http://minio:9000/',
    });
    assert.equal(withEndpoint.s3ForcePathStyle, true);
    assert.equal(withEndpoint.s3Endpoint, 'http://minio:9000');
    assert.equal(withEndpoint.s3Region, 'us-east-1');
    assert.equal(withEndpoint.s3Prefix, '');
    const aws = loadConfig({ ARTIFACT_STORE: 's3', S3_BUCKET: 'fw', S3_PREFIX: 'psirt/fw' });
    assert.equal(aws.s3ForcePathStyle, false);
    assert.equal(aws.s3Prefix, 'psirt/fw/');
    assert.equal(loadConfig({}).artifactStore, 'disk');
  });
});
