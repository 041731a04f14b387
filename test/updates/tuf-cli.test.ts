import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeKeyFiles } from '../../src/updates/tuf/key-files.ts';
import { signInAs } from '../support/auth.ts';
import { type CliRun, runCli } from '../support/cli.ts';
import { engine, freshDatabase, startTestProduct, tempDir } from '../support/product.ts';
import { createUpdatableModel, firmwareBytes, releaseFirmware, uploadFirmware } from './fixtures.ts';

describe(`openpsirt tuf (${engine})`, () => {
  let dataDir: string;
  let keysDir: string;
  let database: Awaited<ReturnType<typeof freshDatabase>>;

  before(async () => {
    dataDir = tempDir();
    keysDir = tempDir('openpsirt-tuf-keys-');
    database = await freshDatabase();
  });
  after(async () => {
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(keysDir, { recursive: true, force: true });
  });

  const cli = (args: string[]): Promise<CliRun> =>
    runCli(['tuf', ...args], {
      DATA_DIR: dataDir,
      PGP_PASSPHRASE: 'test passphrase, not secret',
      ...(database.url ? { DATABASE_URL: database.url } : {}),
    });

  const keyFiles = (role: string, kind: 'key' | 'pub') =>
    fs
      .readdirSync(keysDir)
      .filter((name) => name.startsWith(`${role}-`) && name.endsWith(`.${kind}.json`))
      .map((name) => path.join(keysDir, name));

  it('generates offline key files: the private one readable by its owner only', async () => {
    const root = await cli(['keygen', '--role', 'root', '--out', keysDir]);
    assert.equal(root.code, 0, root.stderr);
    assert.match(root.stdout, /A root key [0-9a-f]{64}/);
    const targets = await cli(['keygen', '--role', 'targets', '--out', keysDir]);
    assert.equal(targets.code, 0, targets.stderr);
    const [privateFile] = keyFiles('root', 'key');
    const [publicFile] = keyFiles('root', 'pub');
    assert.ok(privateFile && publicFile);
    assert.equal(fs.statSync(privateFile).mode & 0o777, 0o600);
    const pub = JSON.parse(fs.readFileSync(publicFile, 'utf8'));
    assert.equal(pub.keytype, 'ed25519');
    assert.match(pub.keyval.public, /^[0-9a-f]{64}$/);
    assert.equal(pub.keyval.private, undefined, 'the public file holds no private key');
  });

  it('signs the first root, then the targets of the releases, and exports the repository for a CDN', async () => {
    const rootKey = keyFiles('root', 'key')[0] as string;
    const targetsKey = keyFiles('targets', 'key')[0] as string;
    const targetsPub = keyFiles('targets', 'pub')[0] as string;

    // A release made through the API by the running server.
    const product = await startTestProduct({
      dataDir,
      demo: false,
      ...(database.url ? { databaseUrl: database.url } : {}),
    });
    let targetPath: string;
    const bytes = firmwareBytes(4000, 'cli release');
    try {
      const analyst = await signInAs(product, 'analyst');
      const model = await createUpdatableModel(analyst.inject);
      const artifact = await uploadFirmware(analyst.inject, model.id, bytes, 'cli.bin');
      targetPath = (
        await releaseFirmware(analyst.inject, model.id, { artifactId: artifact.id, version: '1.0.0' })
      ).targetPath;
    } finally {
      await product.close();
    }

    const init = await cli(['init-root', '--root-key', rootKey, '--targets-pub', targetsPub]);
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, /Root version 1 signed by 1 root key/);

    const wrongKey = await cli(['sign-targets', '--key', rootKey]);
    assert.notEqual(wrongKey.code, 0);
    assert.match(wrongKey.stderr, /not a targets key/);

    const signed = await cli(['sign-targets', '--key', targetsKey]);
    assert.equal(signed.code, 0, signed.stderr);
    assert.match(signed.stdout, /Targets version 1 signed: 1 release\(s\)\.\s+Snapshot 1, timestamp 1\./);

    const out = tempDir('openpsirt-tuf-export-');
    try {
      const exported = await cli(['export', '--out', out]);
      assert.equal(exported.code, 0, exported.stderr);
      const metadata = fs.readdirSync(path.join(out, 'metadata')).sort();
      assert.deepEqual(metadata, [
        '1.root.json',
        '1.snapshot.json',
        '1.targets.json',
        'root.json',
        'timestamp.json',
      ]);
      const targets = JSON.parse(fs.readFileSync(path.join(out, 'metadata', '1.targets.json'), 'utf8'));
      const entry = targets.signed.targets[targetPath];
      assert.ok(entry, 'the release is a target');
      const { dir, base } = path.posix.parse(targetPath);
      assert.deepEqual(
        fs.readFileSync(path.join(out, 'targets', dir, `${entry.hashes.sha256}.${base}`)),
        bytes,
      );
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  // The rotation itself is tested in-process (tuf-online-rotation.test.ts); here, what the operator reads.
  it('refuses to rotate the online keys without a threshold of the root keys, in one line', async () => {
    const strangerDir = tempDir('openpsirt-tuf-stranger-');
    try {
      const stranger = writeKeyFiles(strangerDir, 'root');
      const refused = await cli(['rotate-online', '--root-key', stranger.privateFile]);
      assert.equal(refused.code, 1);
      assert.equal(
        refused.stderr,
        'openpsirt: --root-key: root version 1 needs 1 of its keys to sign; 0 of the given keys are among them\n',
      );
    } finally {
      fs.rmSync(strangerDir, { recursive: true, force: true });
    }
  });
});
