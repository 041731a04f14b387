import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Invalid } from '../../src/platform/errors.ts';
import { generateTufKeyPair, tufSigner } from '../../src/updates/tuf/ed25519-keys.ts';
import { TUF_ONLINE_REFRESH } from '../../src/updates/tuf/jobs.ts';
import { initRoot, rotateRoot, TUF_ROOT_INITIALISED, TUF_ROOT_ROTATED } from '../../src/updates/tuf/root.ts';
import { signTargets, TUF_TARGETS_SIGNED } from '../../src/updates/tuf/targets.ts';
import { engine } from '../support/product.ts';
import { type Repository, startRepository, tufClient } from './tuf-support.ts';

const hour = 60 * 60_000;

describe(`image repository with the tuf-js client (${engine})`, () => {
  let repo: Repository;

  before(async () => {
    repo = await startRepository();
  });
  after(() => repo.stop());

  it('serves a release after the targets ceremony: the client refreshes, reads the custom fields and verifies the download', async () => {
    const { release, bytes } = await repo.release();
    const signed = await repo.signTargets();
    assert.equal(signed.targets, 1);
    assert.equal(signed.snapshotVersion, 1);
    assert.equal(signed.timestampVersion, 1);

    const client = tufClient(repo.baseUrl, await repo.rootBody(1));
    try {
      await client.updater.refresh();
      const info = await client.updater.getTargetInfo(release.targetPath);
      assert.ok(info, 'the target is listed');
      assert.equal(info.length, bytes.length);
      assert.deepEqual(info.custom, {
        modelId: repo.model.id,
        modelSlug: repo.model.slug,
        hardwareRevisions: ['A'],
        version: '1.0.0',
        releaseCounter: 1,
        installOver: '< 1.0.0',
      });
      const file = await client.updater.downloadTarget(info);
      assert.deepEqual(fs.readFileSync(file), bytes);

      const view = await repo.analyst.inject({ method: 'GET', url: `/api/v1/releases/${release.id}` });
      assert.equal(view.json().state, 'signed');
      assert.equal(view.json().signedInTargetsVersion, signed.version);
    } finally {
      client.dispose();
    }
  });

  it('refuses a second first root, and a targets key the root does not name', async () => {
    await assert.rejects(
      initRoot(repo.product.deps, {
        rootSigners: [tufSigner(repo.rootKey.privateHex)],
        rootKeys: [repo.rootKey],
        threshold: 1,
        targetsKeys: [repo.targetsKey],
      }),
      /rotate-root/,
    );
    await assert.rejects(
      signTargets(repo.product.deps, [tufSigner(repo.rootKey.privateHex)]),
      (error: Invalid) => /is not a targets key of root version 1/.test(error.fields.key ?? ''),
    );
  });

  it('serves metadata as cacheable files with ETags, and a plain 404 for a version that does not exist', async () => {
    const root = await fetch(`${repo.baseUrl}/tuf/metadata/1.root.json`);
    assert.equal(root.status, 200);
    assert.equal(root.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const etag = root.headers.get('etag') as string;
    assert.equal(await root.text(), await repo.rootBody(1), 'the exact stored bytes');
    const again = await fetch(`${repo.baseUrl}/tuf/metadata/1.root.json`, {
      headers: { 'if-none-match': etag },
    });
    assert.equal(again.status, 304);
    assert.equal((await fetch(`${repo.baseUrl}/tuf/metadata/99.root.json`)).status, 404);
    assert.equal((await fetch(`${repo.baseUrl}/tuf/metadata/snapshot.json`)).status, 404);
    const timestamp = await fetch(`${repo.baseUrl}/tuf/metadata/timestamp.json`);
    assert.equal(timestamp.headers.get('cache-control'), 'public, max-age=60');
    const latest = await fetch(`${repo.baseUrl}/tuf/metadata/root.json`);
    assert.equal(latest.status, 200);
  });

  it('serves only files of signed releases that are not withdrawn', async () => {
    const { release, artifact } = await repo.release(3000);
    const [dir, name] = [release.targetPath.replace(/\/[^/]+$/, ''), release.targetPath.split('/').pop()];
    const url = `${repo.baseUrl}/tuf/targets/${dir}/${artifact.sha256}.${name}`;
    assert.equal((await fetch(url)).status, 404, 'awaiting signature');
    await repo.signTargets();
    const served = await fetch(url, { headers: { range: 'bytes=0-9' } });
    assert.equal(served.status, 206);
    assert.equal(served.headers.get('etag'), `"${artifact.sha256}"`);
    const admin = await import('../support/auth.ts').then((m) => m.signInAs(repo.product, 'admin'));
    const withdrawn = await admin.inject({
      method: 'POST',
      url: `/api/v1/releases/${release.id}/withdraw`,
      payload: { reason: 'test' },
    });
    assert.equal(withdrawn.statusCode, 200, withdrawn.body);
    assert.equal((await fetch(url)).status, 404, 'withdrawn');
  });

  it('lets a client that trusts the old root follow a root rotation', async () => {
    const client = tufClient(repo.baseUrl, await repo.rootBody(1));
    try {
      const newRoot = generateTufKeyPair();
      const rotated = await rotateRoot(repo.product.deps, {
        oldSigners: [tufSigner(repo.rootKey.privateHex)],
        newSigners: [tufSigner(newRoot.privateHex)],
        newRootKeys: [newRoot],
        threshold: 1,
      });
      assert.equal(rotated.version, 2);
      await client.updater.refresh();
      const trusted = JSON.parse(fs.readFileSync(`${client.metadataDir}/root.json`, 'utf8'));
      assert.equal(trusted.signed.version, 2, 'the client now trusts root 2');
      assert.deepEqual(trusted.signed.roles.root.keyids, [newRoot.keyId]);

      // The next rotation is signed by root 2's keys: the client, now at root 2, follows it too.
      const third = generateTufKeyPair();
      await rotateRoot(repo.product.deps, {
        oldSigners: [tufSigner(newRoot.privateHex)],
        newSigners: [tufSigner(third.privateHex)],
        newRootKeys: [third],
        threshold: 1,
      });
      await client.again().updater.refresh();
      assert.equal(JSON.parse(fs.readFileSync(`${client.metadataDir}/root.json`, 'utf8')).signed.version, 3);
    } finally {
      client.dispose();
    }
  });

  it('keeps a paper trail of each ceremony: which keys the new metadata names and which signed it', async () => {
    const entries = async (action: string) =>
      (
        await repo.product.deps.db
          .selectFrom('audit_log')
          .select(['subject_id', 'detail'])
          .where('action', '=', action)
          .orderBy('id')
          .execute()
      ).map((row) => ({
        subject: row.subject_id,
        detail: (typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail) as {
          signedBy: string[];
          targetsKeyIds: string[];
          releaseIds: string[];
        },
      }));
    const [first] = await entries(TUF_ROOT_INITIALISED);
    assert.equal(first?.subject, '1');
    assert.deepEqual(first?.detail.signedBy, [repo.rootKey.keyId]);
    assert.deepEqual(first?.detail.targetsKeyIds, [repo.targetsKey.keyId]);
    const rotations = await entries(TUF_ROOT_ROTATED);
    assert.deepEqual(
      rotations.map((entry) => entry.subject),
      ['2', '3'],
      'the two rotations of the test before',
    );
    const [rotation] = rotations;
    assert.ok(rotation?.detail.signedBy.includes(repo.rootKey.keyId), 'the old key signed');
    const [signing] = await entries(TUF_TARGETS_SIGNED);
    assert.ok(signing, 'the targets ceremony is in the audit log');
    assert.deepEqual(signing.detail.signedBy, [repo.targetsKey.keyId]);
    assert.equal(signing.detail.releaseIds.length, 1);
  });

  it('re-signs an expiring timestamp in the hourly job, and the client accepts the new one', async () => {
    const client = tufClient(repo.baseUrl, await repo.rootBody(1));
    try {
      await client.updater.refresh();
      const before = JSON.parse(fs.readFileSync(`${client.metadataDir}/timestamp.json`, 'utf8')).signed;
      // Seven hours on: more than half the day of the timestamp remains, nothing to do.
      repo.setNow(repo.now() + 7 * hour);
      await runRefreshJob(repo);
      assert.equal(await latestTimestampVersion(repo), before.version);
      // Thirteen hours on: less than half remains; re-signed, with the same snapshot.
      repo.setNow(repo.now() + 6 * hour);
      await runRefreshJob(repo);
      const after = await latestTimestampVersion(repo);
      assert.equal(after, before.version + 1);
      await client.again().updater.refresh();
      const trusted = JSON.parse(fs.readFileSync(`${client.metadataDir}/timestamp.json`, 'utf8')).signed;
      assert.equal(trusted.version, after);
      assert.ok(new Date(trusted.expires).getTime() > new Date(before.expires).getTime());
    } finally {
      repo.setNow(Date.now());
      client.dispose();
    }
  });
});

async function runRefreshJob(repo: Repository) {
  const { enqueue } = await import('../../src/queue/queue.ts');
  await enqueue(repo.product.deps.db, { type: TUF_ONLINE_REFRESH, payload: {}, runAt: new Date(0) });
  await repo.product.workers.runDue();
}

async function latestTimestampVersion(repo: Repository) {
  const row = await repo.product.deps.db
    .selectFrom('tuf_metadata')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('role', '=', 'timestamp')
    .executeTakeFirstOrThrow();
  return Number(row.v);
}
