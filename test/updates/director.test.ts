import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { verifyInstruction } from '../../src/updates/director/instruction.ts';
import { directorRuntime } from '../../src/updates/director/runtime.ts';
import { deviceKeyPair, deviceSecret, registerDevice, uniqueSerial } from '../fleet/fixtures.ts';
import type { TestProductHandle } from '../inventory/fixtures.ts';
import { signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { countRows } from '../support/rows.ts';
import { createUpdatableModel } from './fixtures.ts';

const nonce = () => crypto.randomBytes(16).toString('base64url');
const spki = (hex: string) =>
  crypto.createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(hex, 'hex')]),
    format: 'der',
    type: 'spki',
  });

describe(`director check-in (${engine})`, () => {
  let product: TestProductHandle;
  let analyst: TestSession;
  let model: { id: string };
  let directorKey: { keyid: string; public: string };
  let now = new Date();

  const register = async (credential: Record<string, string>) =>
    registerDevice(analyst.inject, {
      serial: uniqueSerial('DIR'),
      model: model.id,
      hardwareRevision: 'A',
      installedVersion: '1.0.0',
      ...credential,
    });
  const secretDevice = async () => {
    const secret = deviceSecret();
    const device = await register({ secret });
    return { id: device.id, secret, authorization: `Device ${device.id}:${secret}` };
  };
  const checkIn = (authorization: string | undefined, body: Record<string, unknown>) =>
    product.app.inject({
      method: 'POST',
      url: '/device/v1/check-in',
      headers: authorization === undefined ? {} : { authorization },
      payload: body,
    });
  const lastSeen = async (id: string) =>
    product.deps.db
      .selectFrom('devices')
      .select(['last_seen_at', 'installed_version'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  before(async () => {
    product = await startTestProduct({ listen: true, clock: () => now });
    analyst = await signInAs(product, 'analyst');
    model = await createUpdatableModel(analyst.inject, ['A']);
    directorKey = (await product.app.inject({ method: 'GET', url: '/device/v1/director-key' })).json();
  });
  after(() => product.stop());

  it('answers a secret device with a signed "none" instruction bound to it, its nonce and an expiry', async () => {
    const device = await secretDevice();
    const sent = nonce();
    const response = await checkIn(device.authorization, { installedVersion: '1.0.0', nonce: sent });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.deepEqual(Object.keys(body.signed).sort(), [
      'action',
      'deviceId',
      'expiresAt',
      'issuedAt',
      'nonce',
      'pollSeconds',
    ]);
    assert.equal(body.signed.action, 'none');
    assert.equal(body.signed.deviceId, device.id);
    assert.equal(body.signed.nonce, sent);
    assert.ok(Date.parse(body.signed.expiresAt) > now.getTime());
    const base = product.config.devicePollSeconds;
    assert.ok(body.signed.pollSeconds >= base * 0.8 && body.signed.pollSeconds <= base * 1.2);
    assert.equal(body.signatures[0].keyid, directorKey.keyid);
    // The signed member is in the body byte for byte: verify exactly those bytes with node:crypto.
    const signedBytes = response.body.slice(response.body.indexOf('"signed":') + 9, -1);
    assert.ok(
      crypto.verify(
        null,
        Buffer.from(signedBytes),
        spki(directorKey.public),
        Buffer.from(body.signatures[0].sig, 'hex'),
      ),
    );
    assert.deepEqual(
      verifyInstruction(body.signed, body.signatures[0], directorKey.public, {
        deviceId: device.id,
        nonce: sent,
        now,
      }),
      { ok: true },
    );
    assert.deepEqual(
      verifyInstruction(body.signed, body.signatures[0], directorKey.public, {
        deviceId: crypto.randomUUID(),
        nonce: sent,
        now,
      }),
      { ok: false, reason: 'OTHER_DEVICE' },
    );
  });

  it('never writes an older last-seen time and version over a newer one (a batch retried late)', async () => {
    const device = await secretDevice();
    const runtime = directorRuntime(product.deps);
    const later = new Date(now.getTime() + 60_000);
    runtime.lastSeen.note(device.id, later, '2.0.0');
    await runtime.lastSeen.flush();
    runtime.lastSeen.note(device.id, now, '1.0.0');
    await runtime.lastSeen.flush();
    const row = await lastSeen(device.id);
    assert.equal(row.installed_version, '2.0.0');
    assert.equal(row.last_seen_at?.getTime(), later.getTime());
  });

  it('reads devices checking in together with a few statements, each answered as itself', async () => {
    const fleet = await Promise.all(Array.from({ length: 30 }, () => secretDevice()));
    const runtime = directorRuntime(product.deps);
    runtime.cache.clear();
    const statements = runtime.cache.statements;
    const attempts = [
      ...fleet.map((device) => ({
        authorization: device.authorization,
        deviceId: device.id as string | null,
      })),
      ...fleet
        .slice(0, 5)
        .map((device) => ({ authorization: `Device ${device.id}:${deviceSecret()}`, deviceId: null })),
      ...Array.from({ length: 5 }, () => ({
        authorization: `Device ${crypto.randomUUID()}:${deviceSecret()}`,
        deviceId: null,
      })),
    ];
    const answers = await Promise.all(
      attempts.map((attempt) =>
        checkIn(attempt.authorization, { installedVersion: '1.0.0', nonce: nonce() }),
      ),
    );
    answers.forEach((response, i) => {
      const expected = attempts[i]?.deviceId;
      if (expected) {
        assert.equal(response.statusCode, 200, response.body);
        assert.equal(response.json().signed.deviceId, expected);
      } else {
        assert.equal(response.statusCode, 401, response.body);
      }
    });
    const used = runtime.cache.statements - statements;
    assert.ok(used >= 1 && used <= 5, `${used} statements for ${attempts.length} check-ins of 35 devices`);
  });

  it('refuses a wrong secret, an unknown device and a missing or odd header with 401, writing nothing', async () => {
    const device = await secretDevice();
    const runtime = directorRuntime(product.deps);
    await runtime.lastSeen.flush();
    const reports = await countRows(product, 'device_reports');
    const attempts = [
      `Device ${device.id}:${deviceSecret()}`,
      `Device ${crypto.randomUUID()}:${device.secret}`,
      `Device ${device.id}`,
      `Bearer ${device.secret}`,
      'DeviceSession s1.nokey.x.1.y',
      undefined,
    ];
    for (const authorization of attempts) {
      const response = await checkIn(authorization, { installedVersion: '9.9.9', nonce: nonce() });
      assert.equal(response.statusCode, 401, `${authorization}: ${response.body}`);
      assert.equal(response.json().error, 'UNAUTHENTICATED');
      const report = await product.app.inject({
        method: 'POST',
        url: '/device/v1/reports',
        headers: authorization === undefined ? {} : { authorization },
        payload: { events: [{ kind: 'running', version: '9.9.9', at: now.toISOString() }] },
      });
      assert.equal(report.statusCode, 401);
    }
    assert.equal(runtime.lastSeen.pending, 0);
    await runtime.lastSeen.flush();
    assert.deepEqual(await lastSeen(device.id), { last_seen_at: null, installed_version: '1.0.0' });
    assert.equal(await countRows(product, 'device_reports'), reports);
  });

  it('gives an Ed25519 device a session token for one signed challenge, and refuses it once expired', async () => {
    const keys = deviceKeyPair();
    const device = await register({ publicKey: keys.publicHex });
    const challenge = (
      await product.app.inject({
        method: 'POST',
        url: '/device/v1/session/challenge',
        payload: { deviceId: device.id },
      })
    ).json().challenge as string;
    const forged = crypto.sign(null, Buffer.from(challenge), deviceKeyPair().privateKey).toString('hex');
    const refused = await product.app.inject({
      method: 'POST',
      url: '/device/v1/session',
      payload: { challenge, signature: forged },
    });
    assert.equal(refused.statusCode, 401);
    const signature = crypto.sign(null, Buffer.from(challenge), keys.privateKey).toString('hex');
    const session = await product.app.inject({
      method: 'POST',
      url: '/device/v1/session',
      payload: { challenge, signature },
    });
    assert.equal(session.statusCode, 200, session.body);
    const { token } = session.json();
    const sent = nonce();
    const answer = await checkIn(`DeviceSession ${token}`, { installedVersion: '1.0.0', nonce: sent });
    assert.equal(answer.statusCode, 200, answer.body);
    assert.equal(answer.json().signed.deviceId, device.id);
    // A token names its device: changing the id breaks the MAC.
    const other = await register({ publicKey: deviceKeyPair().publicHex });
    const stolen = token.replace(device.id, other.id);
    assert.equal(
      (await checkIn(`DeviceSession ${stolen}`, { installedVersion: '1.0.0', nonce: nonce() })).statusCode,
      401,
    );
    // A secret device cannot use the Ed25519 path, and a challenge expires.
    const secret = await secretDevice();
    const secretChallenge = (
      await product.app.inject({
        method: 'POST',
        url: '/device/v1/session/challenge',
        payload: { deviceId: secret.id },
      })
    ).json().challenge as string;
    const start = now;
    try {
      now = new Date(start.getTime() + 3 * 60_000);
      const late = await product.app.inject({
        method: 'POST',
        url: '/device/v1/session',
        payload: { challenge, signature },
      });
      assert.equal(late.statusCode, 401, 'an expired challenge');
      const wrongKind = await product.app.inject({
        method: 'POST',
        url: '/device/v1/session',
        payload: { challenge: secretChallenge, signature },
      });
      assert.equal(wrongKind.statusCode, 401);
      now = new Date(start.getTime() + 25 * 3600_000);
      const lastSeenBuffer = directorRuntime(product.deps).lastSeen;
      await lastSeenBuffer.flush();
      const expired = await checkIn(`DeviceSession ${token}`, { installedVersion: '7.0.0', nonce: nonce() });
      assert.equal(expired.statusCode, 401, 'an expired token');
      assert.equal(lastSeenBuffer.pending, 0, 'nothing noted for a refused check-in');
    } finally {
      now = start;
    }
  });

  it('rotates the session key after a week and still accepts tokens made with the previous one', async () => {
    const keys = deviceKeyPair();
    const device = await register({ publicKey: keys.publicHex });
    const session = async () => {
      const challenge = (
        await product.app.inject({
          method: 'POST',
          url: '/device/v1/session/challenge',
          payload: { deviceId: device.id },
        })
      ).json().challenge as string;
      const signature = crypto.sign(null, Buffer.from(challenge), keys.privateKey).toString('hex');
      const response = await product.app.inject({
        method: 'POST',
        url: '/device/v1/session',
        payload: { challenge, signature },
      });
      assert.equal(response.statusCode, 200, response.body);
      return response.json().token as string;
    };
    const keyIdOf = (token: string) => token.split('.')[1];
    const start = now;
    try {
      now = new Date(start.getTime() + 6.9 * 24 * 3600_000);
      const before = await session();
      now = new Date(start.getTime() + 7.5 * 24 * 3600_000);
      const after = await session();
      assert.notEqual(keyIdOf(after), keyIdOf(before), 'a new key after a week');
      for (const token of [before, after]) {
        const answer = await checkIn(`DeviceSession ${token}`, { installedVersion: '1.0.0', nonce: nonce() });
        assert.equal(answer.statusCode, 200, answer.body);
      }
    } finally {
      now = start;
    }
  });

  it('writes last-seen and installed version of many check-ins with one statement per flush', async () => {
    const runtime = directorRuntime(product.deps);
    const fleet = await Promise.all(Array.from({ length: 25 }, () => secretDevice()));
    await runtime.lastSeen.flush();
    const statements = runtime.lastSeen.statements;
    const started = performance.now();
    for (const device of fleet) {
      const response = await checkIn(device.authorization, { installedVersion: '1.1.0', nonce: nonce() });
      assert.equal(response.statusCode, 200);
    }
    await runtime.lastSeen.flush();
    // The timer may have flushed while the requests ran: at most one statement per second of them,
    // plus the final flush; never one per check-in.
    const written = runtime.lastSeen.statements - statements;
    const seconds = (performance.now() - started) / 1000;
    assert.ok(written >= 1 && written <= Math.ceil(seconds) + 1, `${written} statements in ${seconds} s`);
    assert.ok(written < fleet.length);
    for (const device of fleet) {
      const row = await lastSeen(device.id);
      assert.equal(row.installed_version, '1.1.0');
      assert.equal(row.last_seen_at?.getTime(), Math.floor(now.getTime()));
    }
  });

  it('stores reports before answering, and refuses unknown kinds', async () => {
    const device = await secretDevice();
    const releaseId = crypto.randomUUID();
    const before = await countRows(product, 'device_reports');
    const response = await product.app.inject({
      method: 'POST',
      url: '/device/v1/reports',
      headers: { authorization: device.authorization },
      payload: {
        events: [
          { kind: 'download-started', releaseId, version: '2.0.0', at: '2026-11-30T07:00:00Z' },
          {
            kind: 'install-failed',
            releaseId,
            version: '2.0.0',
            errorCode: 'E_FLASH_VERIFY',
            at: '2026-11-30T07:01:00Z',
          },
        ],
      },
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), { stored: 2 });
    const rows = await product.deps.db
      .selectFrom('device_reports')
      .select(['kind', 'release_id', 'error_code'])
      .where('device_id', '=', device.id)
      .orderBy('at')
      .execute();
    assert.deepEqual(rows, [
      { kind: 'download-started', release_id: releaseId, error_code: null },
      { kind: 'install-failed', release_id: releaseId, error_code: 'E_FLASH_VERIFY' },
    ]);
    const bad = await product.app.inject({
      method: 'POST',
      url: '/device/v1/reports',
      headers: { authorization: device.authorization },
      payload: { events: [{ kind: 'exploded', at: '2026-11-30T07:00:00Z' }] },
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(await countRows(product, 'device_reports'), before + 2);
  });

  it('keeps an idle check-in under 1 KB on the wire, headers included', async () => {
    const device = await secretDevice();
    const body = JSON.stringify({ installedVersion: '1.0.0', nonce: nonce() + nonce() });
    const url = new URL(product.url as string);
    const request =
      `POST /device/v1/check-in HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: ${device.authorization}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const answer = await new Promise<Buffer>((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname, () => socket.write(request));
      const chunks: Buffer[] = [];
      socket.on('data', (chunk) => {
        chunks.push(chunk);
        const text = Buffer.concat(chunks).toString('latin1');
        const end = text.indexOf('\r\n\r\n');
        const length = Number(/content-length: (\d+)/i.exec(text)?.[1] ?? Number.NaN);
        if (end >= 0 && Buffer.concat(chunks).length >= end + 4 + length) {
          socket.end();
          resolve(Buffer.concat(chunks));
        }
      });
      socket.on('error', reject);
    });
    const text = answer.toString('latin1');
    assert.match(text, /^HTTP\/1\.1 200 OK/);
    assert.ok(answer.length < 1024, `an idle check-in answer takes ${answer.length} bytes:\n${text}`);
    assert.ok(Buffer.byteLength(request) < 1024, `the request takes ${Buffer.byteLength(request)} bytes`);
    console.log(`idle check-in: request ${Buffer.byteLength(request)} bytes, answer ${answer.length} bytes`);
  });
});

describe(`director shutdown (${engine})`, () => {
  it('writes the last-seen data it holds when the server closes', async () => {
    const product = await startTestProduct();
    try {
      const analyst = await signInAs(product, 'analyst');
      const model = await createUpdatableModel(analyst.inject, ['A']);
      const secret = deviceSecret();
      const device = await registerDevice(analyst.inject, {
        serial: uniqueSerial('BYE'),
        model: model.id,
        hardwareRevision: 'A',
        secret,
      });
      const answer = await product.app.inject({
        method: 'POST',
        url: '/device/v1/check-in',
        headers: { authorization: `Device ${device.id}:${secret}` },
        payload: { installedVersion: '3.0.0', nonce: nonce() },
      });
      assert.equal(answer.statusCode, 200);
      // Closing the HTTP server (as a clean shutdown does first) flushes; the database is still open.
      await product.app.close();
      const row = await product.deps.db
        .selectFrom('devices')
        .select(['last_seen_at', 'installed_version'])
        .where('id', '=', device.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.installed_version, '3.0.0');
      assert.ok(row.last_seen_at);
    } finally {
      await product.stop();
    }
  });
});
