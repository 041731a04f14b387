import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import * as openpgp from 'openpgp';
import { engine, freshDatabase, startTestProduct, tempDir } from '../support/product.ts';

type TestProduct = Awaited<ReturnType<typeof startTestProduct>>;

const PASSPHRASE = 'test passphrase, not secret';
const secret =
  'Heap overflow in the RTSP DESCRIBE handler of cam-firmware 4.2.1; PoC attached to the next mail.';

async function encryptTo(keys: openpgp.Key[], text: string): Promise<string> {
  return openpgp.encrypt({ message: await openpgp.createMessage({ text }), encryptionKeys: keys });
}

describe(`encrypted reports (${engine})`, () => {
  let product: TestProduct;
  let serverKey: openpgp.Key;
  before(async () => {
    product = await startTestProduct();
    const response = await product.app.inject({ method: 'GET', url: '/.well-known/openpgp-key.asc' });
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /^application\/pgp-keys/);
    serverKey = await openpgp.readKey({ armoredKey: response.body });
    assert.equal(response.headers['x-openpgp-fingerprint'], serverKey.getFingerprint().toUpperCase());
  });
  after(() => product.stop());

  const reportCount = async () =>
    (
      await product.deps.db
        .selectFrom('reports')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  const submit = (payload: Record<string, unknown>) =>
    product.app.inject({ method: 'POST', url: '/api/v1/reports', payload });

  const storedReport = (trackingId: string) =>
    product.deps.db
      .selectFrom('reports')
      .select(['description', 'encrypted'])
      .where('tracking_id', '=', trackingId)
      .executeTakeFirstOrThrow();

  for (const flagged of [true, false]) {
    it(`stores a description encrypted to the published key as sent, ${flagged ? 'marked with encrypted: true' : 'recognised by its armor header'}`, async () => {
      const armored = await encryptTo([serverKey], secret);
      const response = await submit({
        title: 'Encrypted report',
        description: armored,
        ...(flagged ? { encrypted: true } : {}),
      });
      assert.equal(response.statusCode, 201, response.body);
      const row = await storedReport(response.json().trackingId);
      assert.equal(row.encrypted, true);
      assert.equal(row.description, armored, 'the ciphertext is stored byte for byte');
      assert.ok(!row.description.includes('RTSP'), 'no plaintext at rest');
      assert.equal(await product.deps.pgp.decrypt(row.description, 'description'), secret);
    });
  }

  it('accepts a message encrypted to the server key and another recipient', async () => {
    const other = await openpgp.generateKey({ userIDs: [{ email: 'me@example.org' }], format: 'object' });
    const armored = await encryptTo([other.publicKey, serverKey], secret);
    const response = await submit({ title: 'To two keys', description: armored, encrypted: true });
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(await product.deps.pgp.decrypt(armored, 'description'), secret);
  });

  it('refuses a description marked encrypted that is plain text, naming the field, storing nothing', async () => {
    const before = await reportCount();
    const response = await submit({ title: 'Oops', description: secret, encrypted: true });
    assert.equal(response.statusCode, 400, response.body);
    const body = response.json();
    assert.equal(body.error, 'VALIDATION_FAILED');
    assert.match(body.fields.description, /not an ASCII-armored OpenPGP message/);
    assert.equal(await reportCount(), before);
  });

  it('refuses a message encrypted to another key, saying so, storing nothing', async () => {
    const before = await reportCount();
    const other = await openpgp.generateKey({ userIDs: [{ email: 'me@example.org' }], format: 'object' });
    const armored = await encryptTo([other.publicKey], secret);
    for (const payload of [
      { title: 'Wrong key', description: armored, encrypted: true },
      { title: 'Wrong key, detected', description: armored },
    ]) {
      const response = await submit(payload);
      assert.equal(response.statusCode, 400, response.body);
      const message = response.json().fields?.description as string;
      assert.match(message, /encrypted to another key/);
      const otherIds = other.publicKey.getKeyIDs().map((id) => id.toHex());
      assert.ok(
        otherIds.some((id) => message.includes(id)),
        `names the key id: ${message}`,
      );
      assert.match(message, /\/\.well-known\/openpgp-key\.asc/, 'says where the right key is');
    }
    assert.equal(await reportCount(), before);
  });

  it('refuses a message encrypted with a passphrase only', async () => {
    const before = await reportCount();
    const armored = await openpgp.encrypt({
      message: await openpgp.createMessage({ text: secret }),
      passwords: ['hunter2'],
    });
    const response = await submit({ title: 'Symmetric', description: armored });
    assert.equal(response.statusCode, 400, response.body);
    assert.match(response.json().fields.description, /another key \(a passphrase\)/);
    assert.equal(await reportCount(), before);
  });

  it('keeps the private key encrypted at rest, unlockable only with the passphrase', async () => {
    const row = await product.deps.db
      .selectFrom('server_keys')
      .selectAll()
      .where('purpose', '=', 'openpgp')
      .executeTakeFirstOrThrow();
    assert.equal(row.fingerprint, serverKey.getFingerprint().toUpperCase());
    const privateKey = await openpgp.readPrivateKey({ armoredKey: row.private_armored });
    assert.equal(privateKey.isDecrypted(), false);
    await assert.rejects(openpgp.decryptKey({ privateKey, passphrase: 'not the passphrase at all' }));
    const unlocked = await openpgp.decryptKey({ privateKey, passphrase: PASSPHRASE });
    assert.equal(unlocked.isDecrypted(), true);
  });
});

describe(`server key custody across restarts (${engine})`, () => {
  let dataDir: string;
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  before(async () => {
    dataDir = tempDir();
    database = await freshDatabase();
  });
  after(async () => {
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const start = (passphrase: string) =>
    startTestProduct({
      dataDir,
      ...(database.url ? { databaseUrl: database.url } : {}),
      env: { PGP_PASSPHRASE: passphrase },
    });

  it('keeps the same key with the right passphrase and refuses to start with a wrong one', async () => {
    const first = await start(PASSPHRASE);
    const fingerprint = first.deps.pgp.fingerprint;
    await first.stop();

    await assert.rejects(start('a wrong passphrase of length'), (error: Error) => {
      assert.match(error.message, /server OpenPGP key cannot be unlocked with the configured PGP_PASSPHRASE/);
      return true;
    });

    const again = await start(PASSPHRASE);
    try {
      assert.equal(again.deps.pgp.fingerprint, fingerprint, 'the key survives a restart');
    } finally {
      await again.stop();
    }
  });
});
