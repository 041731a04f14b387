// The attacks on the image repository that the device's tuf-js client must refuse, with nothing
// installed: each test plays a hostile server, CDN or a thief of the online keys.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MetaFile, Snapshot, TargetFile, Targets, Timestamp } from '@tufjs/models';
import { expiresAfter, expiryString, signedBytes } from '../../src/updates/tuf/metadata-files.ts';
import { insertMetadata, latestMetadata, metadataVersion } from '../../src/updates/tuf/metadata-store.ts';
import { onlineSigner } from '../../src/updates/tuf/online-keys.ts';
import { refreshOnlineRoles } from '../../src/updates/tuf/online-roles.ts';
import { engine } from '../support/product.ts';
import { startHostileProxy } from './hostile-proxy.ts';
import { type Repository, startRepository, tufClient } from './tuf-support.ts';

const day = 24 * 60 * 60_000;

describe(`attacks on the image repository, refused by tuf-js (${engine})`, () => {
  let repo: Repository;
  let proxy: Awaited<ReturnType<typeof startHostileProxy>>;
  let first: Awaited<ReturnType<Repository['release']>>;
  let second: Awaited<ReturnType<Repository['release']>>;

  before(async () => {
    repo = await startRepository();
    proxy = await startHostileProxy(repo.baseUrl);
    first = await repo.release();
    await repo.signTargets(); // targets, snapshot and timestamp 1
    second = await repo.release();
    await repo.signTargets(); // 2
  });
  after(async () => {
    await proxy.close();
    await repo.stop();
  });

  /** A device that has already refreshed once, through the proxy. */
  async function upToDateClient() {
    const client = tufClient(proxy.url, await repo.rootBody(1));
    await client.updater.refresh();
    return client;
  }

  const stored = async (role: 'timestamp' | 'snapshot' | 'targets', version: number) =>
    Buffer.from((await metadataVersion(repo.product.deps.db, role, version))?.body ?? '');

  /** Removes metadata rows a test added, so the repository is as before for the next test. */
  async function removeAbove(role: 'timestamp' | 'snapshot' | 'targets', version: number) {
    await repo.product.deps.db
      .deleteFrom('tuf_metadata')
      .where('role', '=', role)
      .where('version', '>', version)
      .execute();
  }

  it('refuses a tampered firmware file (same length, other bytes)', async () => {
    const client = await upToDateClient();
    const file = path.join(
      repo.product.dataDir,
      'artifacts',
      first.artifact.sha256.slice(0, 2),
      first.artifact.sha256.slice(2, 4),
      first.artifact.sha256,
    );
    const original = fs.readFileSync(file);
    const tampered = Buffer.from(original);
    tampered[100] = (tampered[100] ?? 0) ^ 0xff;
    fs.writeFileSync(file, tampered);
    try {
      const info = await client.updater.getTargetInfo(first.release.targetPath);
      assert.ok(info);
      await assert.rejects(client.updater.downloadTarget(info), /hash|mismatch/i);
      assert.deepEqual(client.installed(), []);
    } finally {
      fs.writeFileSync(file, original);
      client.dispose();
    }
  });

  it('refuses a firmware file longer than its recorded length (endless data)', async () => {
    const client = await upToDateClient();
    try {
      const info = await client.updater.getTargetInfo(second.release.targetPath);
      assert.ok(info);
      const { dir, base } = path.posix.parse(second.release.targetPath);
      proxy.rewrite(`/tuf/targets/${dir}/${second.artifact.sha256}.${base}`, (upstream) => ({
        status: 200,
        body: Buffer.concat([upstream.body, Buffer.alloc(1024 * 1024, 7)]),
      }));
      await assert.rejects(client.updater.downloadTarget(info), /length/i);
      assert.deepEqual(client.installed(), []);
      // The honest file downloads.
      proxy.clear();
      assert.deepEqual(fs.readFileSync(await client.updater.downloadTarget(info)), second.bytes);
    } finally {
      proxy.clear();
      client.dispose();
    }
  });

  it('refuses a rolled-back timestamp', async () => {
    const client = await upToDateClient();
    try {
      const old = await stored('timestamp', 1);
      proxy.rewrite('/tuf/metadata/timestamp.json', () => ({ status: 200, body: old }));
      await assert.rejects(
        client.again().updater.refresh(),
        /New timestamp version 1 is less than current version 2/,
      );
      assert.deepEqual(client.installed(), []);
    } finally {
      proxy.clear();
      client.dispose();
    }
  });

  it('refuses a rolled-back snapshot, even in a timestamp signed with the stolen online key', async () => {
    const client = await upToDateClient();
    const timestamp = await latestMetadata(repo.product.deps.db, 'timestamp');
    assert.ok(timestamp);
    try {
      const oldSnapshot = await stored('snapshot', 1);
      const now = new Date(repo.now());
      const body = signedBytes(
        new Timestamp({
          specVersion: '1.0.31',
          version: timestamp.version + 1,
          expires: expiryString(expiresAfter(now, 'timestamp')),
          snapshotMeta: metaFile(1, oldSnapshot),
        }),
        [await onlineSigner(repo.product.deps, 'timestamp')],
      );
      await insertMetadata(repo.product.deps.db, {
        role: 'timestamp',
        version: timestamp.version + 1,
        body,
        expiresAt: expiresAfter(now, 'timestamp'),
      });
      await assert.rejects(
        client.again().updater.refresh(),
        /New snapshot version 1 is less than current version 2/,
      );
      assert.deepEqual(client.installed(), []);
    } finally {
      await removeAbove('timestamp', timestamp.version);
      client.dispose();
    }
  });

  it('refuses rolled-back targets, even in a snapshot signed with the stolen online key', async () => {
    const client = await upToDateClient();
    const snapshot = await latestMetadata(repo.product.deps.db, 'snapshot');
    const timestamp = await latestMetadata(repo.product.deps.db, 'timestamp');
    assert.ok(snapshot && timestamp);
    try {
      const now = new Date(repo.now());
      const snapshotBody = signedBytes(
        new Snapshot({
          specVersion: '1.0.31',
          version: snapshot.version + 1,
          expires: expiryString(expiresAfter(now, 'snapshot')),
          meta: { 'targets.json': metaFile(1, await stored('targets', 1)) },
        }),
        [await onlineSigner(repo.product.deps, 'snapshot')],
      );
      await insertMetadata(repo.product.deps.db, {
        role: 'snapshot',
        version: snapshot.version + 1,
        body: snapshotBody,
        expiresAt: expiresAfter(now, 'snapshot'),
      });
      const timestampBody = signedBytes(
        new Timestamp({
          specVersion: '1.0.31',
          version: timestamp.version + 1,
          expires: expiryString(expiresAfter(now, 'timestamp')),
          snapshotMeta: metaFile(snapshot.version + 1, Buffer.from(snapshotBody)),
        }),
        [await onlineSigner(repo.product.deps, 'timestamp')],
      );
      await insertMetadata(repo.product.deps.db, {
        role: 'timestamp',
        version: timestamp.version + 1,
        body: timestampBody,
        expiresAt: expiresAfter(now, 'timestamp'),
      });
      await assert.rejects(
        client.again().updater.refresh(),
        /New version 1 of targets.json is less than current version 2/,
      );
      assert.deepEqual(client.installed(), []);
    } finally {
      await removeAbove('timestamp', timestamp.version);
      await removeAbove('snapshot', snapshot.version);
      client.dispose();
    }
  });

  it('refuses a mix of metadata: targets of another version than the snapshot names', async () => {
    const client = tufClient(proxy.url, await repo.rootBody(1));
    try {
      const older = await stored('targets', 1);
      proxy.rewrite('/tuf/metadata/2.targets.json', () => ({ status: 200, body: older }));
      await assert.rejects(client.updater.refresh(), /version|hash|length/i);
      assert.equal(
        await client.updater.getTargetInfo(second.release.targetPath).catch(() => undefined),
        undefined,
      );
      assert.deepEqual(client.installed(), []);
    } finally {
      proxy.clear();
      client.dispose();
    }
  });

  it('refuses targets signed only with the online snapshot key', async () => {
    const targets = await latestMetadata(repo.product.deps.db, 'targets');
    const snapshot = await latestMetadata(repo.product.deps.db, 'snapshot');
    const timestamp = await latestMetadata(repo.product.deps.db, 'timestamp');
    assert.ok(targets && snapshot && timestamp);
    const client = tufClient(repo.baseUrl, await repo.rootBody(1));
    try {
      // A thief of the server's online keys publishes their own firmware.
      const now = new Date(repo.now());
      const forged = new Targets({
        specVersion: '1.0.31',
        version: targets.version + 1,
        expires: expiryString(expiresAfter(now, 'targets')),
      });
      forged.addTarget(
        new TargetFile({
          path: 'evil/1/evil.bin',
          length: first.bytes.length,
          hashes: { sha256: first.artifact.sha256 },
        }),
      );
      const body = signedBytes(forged, [await onlineSigner(repo.product.deps, 'snapshot')]);
      await insertMetadata(repo.product.deps.db, {
        role: 'targets',
        version: targets.version + 1,
        body,
        expiresAt: expiresAfter(now, 'targets'),
      });
      const online = await refreshOnlineRoles(repo.product.deps);
      assert.ok(online.snapshotVersion, 'the server signs a snapshot naming the forged targets');
      await assert.rejects(client.updater.refresh(), /targets was signed by 0\/1 keys/);
      assert.equal(await client.updater.getTargetInfo('evil/1/evil.bin').catch(() => undefined), undefined);
      assert.deepEqual(client.installed(), []);
    } finally {
      await removeAbove('timestamp', timestamp.version);
      await removeAbove('snapshot', snapshot.version);
      await removeAbove('targets', targets.version);
      client.dispose();
    }
  });

  it('refuses an expired timestamp (a frozen repository), and accepts the next one once re-signed', async () => {
    // The server's clock stuck three days back: what it signs now has expired for the device.
    repo.setNow(Date.now() - 3 * day);
    try {
      await repo.release(1000);
      const signed = await repo.signTargets();
      assert.ok(signed.timestampVersion);
      const client = tufClient(repo.baseUrl, await repo.rootBody(1));
      try {
        await assert.rejects(client.updater.refresh(), /expired/i);
        assert.deepEqual(client.installed(), []);
        // Back in time: the hourly job re-signs the timestamp, and the device accepts it.
        repo.setNow(Date.now());
        await refreshOnlineRoles(repo.product.deps);
        await client.again().updater.refresh();
      } finally {
        client.dispose();
      }
    } finally {
      repo.setNow(Date.now());
    }
  });
});

function metaFile(version: number, body: Buffer): MetaFile {
  const sha256 = crypto.createHash('sha256').update(body).digest('hex');
  return new MetaFile({ version, length: body.length, hashes: { sha256 } });
}
