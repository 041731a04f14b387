// Online key rotation (`openpsirt tuf rotate-online`), as after a server compromise: devices running the
// real tuf-js client follow the new root and keep installing, refuse what the retired keys sign, and a
// rotation without enough root keys changes nothing.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MetaFile, Snapshot, Timestamp } from '@tufjs/models';
import pino from 'pino';
import { runTufCli, type TufCliValues } from '../../src/updates/tuf/cli.ts';
import {
  generateTufKeyPair,
  type TufKeyPair,
  type TufSigner,
  tufSigner,
} from '../../src/updates/tuf/ed25519-keys.ts';
import { expiresAfter, expiryString, parseRoot, signedBytes } from '../../src/updates/tuf/metadata-files.ts';
import { findOnlineKey, latestMetadata, metadataVersion } from '../../src/updates/tuf/metadata-store.ts';
import { onlineSigner } from '../../src/updates/tuf/online-keys.ts';
import { TUF_ONLINE_KEYS_ROTATED } from '../../src/updates/tuf/online-rotation.ts';
import { rotateRoot } from '../../src/updates/tuf/root.ts';
import { engine, tempDir } from '../support/product.ts';
import { startHostileProxy } from './hostile-proxy.ts';
import { type Client, type Repository, startRepository, tufClient } from './tuf-support.ts';

type Device = ReturnType<typeof tufClient>;

describe(`online key rotation, followed by tuf-js (${engine})`, () => {
  let repo: Repository;
  let proxy: Awaited<ReturnType<typeof startHostileProxy>>;
  let keysDir: string;
  let first: Awaited<ReturnType<Repository['release']>>;
  /** The online keys before the rotation, as a thief of the server's database and passphrase has them. */
  let stolen: { snapshot: TufSigner; timestamp: TufSigner };
  /** A device that trusted root 1 and refreshed once before the rotation, then stayed offline. */
  let offline: Device;
  const devices: Pick<Client, 'dispose'>[] = [];

  before(async () => {
    repo = await startRepository();
    proxy = await startHostileProxy(repo.baseUrl);
    keysDir = tempDir('openpsirt-tuf-rotation-keys-');
    first = await repo.release();
    await repo.signTargets(); // targets, snapshot and timestamp 1
    stolen = {
      snapshot: await onlineSigner(repo.product.deps, 'snapshot'),
      timestamp: await onlineSigner(repo.product.deps, 'timestamp'),
    };
    offline = await device();
    await offline.updater.refresh();
  });
  after(async () => {
    for (const each of devices) each.dispose();
    await proxy.close();
    await repo.stop();
    fs.rmSync(keysDir, { recursive: true, force: true });
  });

  /** A device trusting root 1, reading through the proxy. */
  async function device(): Promise<Device> {
    const client = tufClient(proxy.url, await repo.rootBody(1));
    devices.push(client);
    return client;
  }

  /** A root key file as `openpsirt tuf keygen --role root` writes it. */
  function rootKeyFile(pair: TufKeyPair): string {
    const file = path.join(keysDir, `root-${pair.keyId.slice(0, 12)}.key.json`);
    const keyval = { public: pair.publicHex, private: pair.privateHex };
    fs.writeFileSync(file, JSON.stringify({ role: 'root', keytype: 'ed25519', scheme: 'ed25519', keyval }));
    return file;
  }

  /** `openpsirt tuf …` in this process, against the test product's database. */
  const tuf = (action: string, values: TufCliValues) =>
    runTufCli(action, values, async () => ({
      config: repo.product.config,
      log: pino({ level: 'silent' }),
      database: { db: repo.product.deps.db, engine, close: async () => {} },
    }));

  const latestVersion = async (role: 'root' | 'snapshot' | 'timestamp') =>
    (await latestMetadata(repo.product.deps.db, role))?.version ?? 0;
  const signatureKeyIds = async (role: 'snapshot' | 'timestamp') =>
    JSON.parse((await latestMetadata(repo.product.deps.db, role))?.body ?? '{}').signatures.map(
      (signature: { keyid: string }) => signature.keyid,
    );
  const trusted = (client: Device, role: string) =>
    JSON.parse(fs.readFileSync(path.join(client.metadataDir, `${role}.json`), 'utf8')).signed;

  it('moves a device that trusted root 1 and refreshed once onto the new keys; it installs before and after', async () => {
    const client = await device();
    await client.updater.refresh();
    const before = { snapshot: await latestVersion('snapshot'), timestamp: await latestVersion('timestamp') };

    const output = await tuf('rotate-online', { 'root-key': [rootKeyFile(repo.rootKey)] });
    assert.match(
      output,
      /^Root version 2 names new online keys: snapshot [0-9a-f]{64}, timestamp [0-9a-f]{64}\./,
    );
    assert.match(output, new RegExp(`Retired .*${stolen.snapshot.keyId}, ${stolen.timestamp.keyId}\\.`));

    // Root 2: the same root and targets keys, new snapshot and timestamp keys, which the server now holds.
    const root1 = parseRoot(await repo.rootBody(1)).signed;
    const root2 = parseRoot(await repo.rootBody(2)).signed;
    const snapshotKey = await findOnlineKey(repo.product.deps.db, 'snapshot');
    const timestampKey = await findOnlineKey(repo.product.deps.db, 'timestamp');
    assert.ok(snapshotKey && timestampKey);
    assert.deepEqual(root2.roles.snapshot?.keyIDs, [snapshotKey.keyId]);
    assert.deepEqual(root2.roles.timestamp?.keyIDs, [timestampKey.keyId]);
    assert.notEqual(snapshotKey.keyId, stolen.snapshot.keyId);
    assert.notEqual(timestampKey.keyId, stolen.timestamp.keyId);
    assert.deepEqual(root2.roles.root?.keyIDs, root1.roles.root?.keyIDs);
    assert.deepEqual(root2.roles.targets?.keyIDs, root1.roles.targets?.keyIDs);
    assert.match(snapshotKey.privateEncrypted, /-----BEGIN PGP MESSAGE-----/, 'stored encrypted');

    // Snapshot and timestamp re-signed at once with the new keys, their versions moving forward.
    assert.equal(await latestVersion('snapshot'), before.snapshot + 1);
    assert.equal(await latestVersion('timestamp'), before.timestamp + 1);
    assert.deepEqual(await signatureKeyIds('snapshot'), [snapshotKey.keyId]);
    assert.deepEqual(await signatureKeyIds('timestamp'), [timestampKey.keyId]);

    // The audit log names the retired keys and the new ones.
    const audit = await repo.product.deps.db
      .selectFrom('audit_log')
      .select(['actor', 'subject_id', 'detail'])
      .where('action', '=', TUF_ONLINE_KEYS_ROTATED)
      .execute();
    assert.equal(audit.length, 1);
    const detail = (
      typeof audit[0]?.detail === 'string' ? JSON.parse(audit[0].detail) : audit[0]?.detail
    ) as {
      snapshot: { retired: { keyId: string }; key: { keyId: string } };
      timestamp: { retired: { keyId: string }; key: { keyId: string } };
    };
    assert.equal(audit[0]?.actor, 'cli');
    assert.equal(audit[0]?.subject_id, '2');
    assert.equal(detail.snapshot.retired.keyId, stolen.snapshot.keyId);
    assert.equal(detail.timestamp.retired.keyId, stolen.timestamp.keyId);
    assert.equal(detail.timestamp.key.keyId, timestampKey.keyId);

    // The device follows: root 2, the new timestamp, and the release signed before the rotation.
    const next = client.again();
    await next.updater.refresh();
    assert.equal(trusted(client, 'root').version, 2);
    assert.equal(trusted(client, 'timestamp').version, before.timestamp + 1);
    const info = await next.updater.getTargetInfo(first.release.targetPath);
    assert.ok(info);
    assert.deepEqual(fs.readFileSync(await next.updater.downloadTarget(info)), first.bytes);

    // A release signed after the rotation: snapshot and timestamp signed by the server's new keys.
    const second = await repo.release(3000);
    const signed = await repo.signTargets();
    assert.equal(signed.timestampVersion, before.timestamp + 2);
    const later = client.again();
    await later.updater.refresh();
    const secondInfo = await later.updater.getTargetInfo(second.release.targetPath);
    assert.ok(secondInfo);
    assert.deepEqual(fs.readFileSync(await later.updater.downloadTarget(secondInfo)), second.bytes);
  });

  it('refuses a newer timestamp signed with the retired key, on devices before and after the new root', async () => {
    // The thief signs a newer snapshot and timestamp with the old keys (a freeze: the first targets only).
    const now = new Date(repo.now());
    const version = (await latestVersion('timestamp')) + 10;
    const targets1 = Buffer.from((await metadataVersion(repo.product.deps.db, 'targets', 1))?.body ?? '');
    const snapshot = Buffer.from(
      signedBytes(
        new Snapshot({
          specVersion: '1.0.31',
          version,
          expires: expiryString(expiresAfter(now, 'snapshot')),
          meta: { 'targets.json': metaFile(1, targets1) },
        }),
        [stolen.snapshot],
      ),
    );
    const timestamp = Buffer.from(
      signedBytes(
        new Timestamp({
          specVersion: '1.0.31',
          version,
          expires: expiryString(expiresAfter(now, 'timestamp')),
          snapshotMeta: metaFile(version, snapshot),
        }),
        [stolen.timestamp],
      ),
    );
    const followed = await device(); // has fetched root 2 and the new timestamp already
    await followed.updater.refresh();
    proxy.rewrite('/tuf/metadata/timestamp.json', () => ({ status: 200, body: timestamp }));
    proxy.rewrite(`/tuf/metadata/${version}.snapshot.json`, () => ({ status: 200, body: snapshot }));
    const honestTimestamp = trusted(followed, 'timestamp').version;
    const offlineTimestamp = trusted(offline, 'timestamp').version;
    try {
      for (const client of [followed, offline, await device()]) {
        const next = client.again();
        await assert.rejects(next.updater.refresh(), /timestamp was signed by 0\/1 keys/);
        assert.deepEqual(client.installed(), [], 'nothing installed');
      }
      assert.equal(
        trusted(followed, 'timestamp').version,
        honestTimestamp,
        'the forged timestamp is not kept',
      );
      assert.equal(trusted(offline, 'timestamp').version, offlineTimestamp);
      assert.equal(trusted(offline, 'root').version, 2, 'the offline device learnt the new root first');
    } finally {
      proxy.clear();
    }
    // Once the repository answers honestly again, the offline device catches up.
    await offline.again().updater.refresh();
    assert.equal(trusted(offline, 'timestamp').version, await latestVersion('timestamp'));
  });

  it('refuses a rotation without a threshold of the root keys in one line, and changes nothing', async () => {
    // Root 3 needs two of two root keys.
    const [a, b] = [generateTufKeyPair(), generateTufKeyPair()] as [TufKeyPair, TufKeyPair];
    await rotateRoot(repo.product.deps, {
      oldSigners: [tufSigner(repo.rootKey.privateHex)],
      newSigners: [tufSigner(a.privateHex), tufSigner(b.privateHex)],
      newRootKeys: [a, b],
      threshold: 2,
    });
    const state = async () => ({
      metadata: await repo.product.deps.db
        .selectFrom('tuf_metadata')
        .select(['role', 'version'])
        .orderBy('role')
        .orderBy('version')
        .execute(),
      keys: await repo.product.deps.db
        .selectFrom('tuf_online_keys')
        .select(['role', 'key_id'])
        .orderBy('role')
        .execute(),
      audit: (
        await repo.product.deps.db
          .selectFrom('audit_log')
          .select('id')
          .where('action', '=', TUF_ONLINE_KEYS_ROTATED)
          .execute()
      ).length,
    });
    const unchanged = await state();
    await assert.rejects(
      tuf('rotate-online', { 'root-key': [rootKeyFile(a), rootKeyFile(repo.rootKey)] }),
      (error: Error) => {
        assert.equal(
          error.message,
          '--root-key: root version 3 needs 2 of its keys to sign; 1 of the given keys are among them',
        );
        return true;
      },
    );
    assert.deepEqual(await state(), unchanged);

    // With both keys: root 4, which a device trusting root 1 reaches through every version.
    const output = await tuf('rotate-online', { 'root-key': [rootKeyFile(a), rootKeyFile(b)] });
    assert.match(output, /^Root version 4 names new online keys/);
    const client = await device();
    await client.updater.refresh();
    assert.equal(trusted(client, 'root').version, 4);
    assert.deepEqual(
      Object.keys(parseRoot(await repo.rootBody(4)).signatures).sort(),
      [a.keyId, b.keyId].sort(),
    );
  });
});

function metaFile(version: number, body: Buffer): MetaFile {
  const sha256 = crypto.createHash('sha256').update(body).digest('hex');
  return new MetaFile({ version, length: body.length, hashes: { sha256 } });
}
