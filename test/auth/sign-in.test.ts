import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { SESSION_COOKIE } from '../../src/auth/http-access.ts';
import { listAudit } from '../../src/platform/audit.ts';
import { createTestUser, signIn, type TestUser } from '../support/auth.ts';
import { engine, freshDatabase, startTestProduct, tempDir } from '../support/product.ts';

type Product = Awaited<ReturnType<typeof startTestProduct>>;

const login = (product: Product, email: string, password: string, remoteAddress = '127.0.0.1') =>
  product.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password },
    remoteAddress,
  });

describe(`sign-in (${engine})`, () => {
  let product: Product;
  let now = new Date('2026-11-25T10:00:00Z');
  let analyst: TestUser;

  before(async () => {
    product = await startTestProduct({ clock: () => now });
    analyst = await createTestUser(product, 'analyst', { email: 'Ana.Lyst@Example.com' });
  });
  after(() => product.stop());

  it('stores passwords as Argon2id hashes, never in clear', async () => {
    const row = await product.deps.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', analyst.id)
      .executeTakeFirstOrThrow();
    assert.match(row.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.ok(!row.password_hash.includes(analyst.password));
  });

  it('signs in with the right password, whatever the case of the email, and answers the user and a CSRF token', async () => {
    const response = await login(product, 'ana.lyst@EXAMPLE.com', analyst.password);
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.deepEqual(body.user, {
      id: analyst.id,
      email: 'ana.lyst@example.com',
      name: analyst.name,
      role: 'analyst',
      supplierId: null,
    });
    assert.match(body.csrfToken, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(response.headers['cache-control'], 'no-store');
  });

  it('sets an HttpOnly SameSite=Lax cookie for the whole site, not Secure over plain http', async () => {
    const response = await login(product, analyst.email, analyst.password);
    const header = String(response.headers['set-cookie']);
    assert.match(header, new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43};`));
    assert.match(header, /; HttpOnly/);
    assert.match(header, /; SameSite=Lax/);
    assert.match(header, /; Path=\//);
    assert.match(header, /; Expires=/);
    assert.doesNotMatch(header, /Secure/);
  });

  it('stores only the SHA-256 hash of the session token', async () => {
    const response = await login(product, analyst.email, analyst.password);
    const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE)?.value ?? '';
    const rows = await product.deps.db.selectFrom('sessions').select('token_hash').execute();
    assert.ok(rows.every((r) => r.token_hash !== cookie && /^[0-9a-f]{64}$/.test(r.token_hash)));
  });

  it('refuses a wrong password and an unknown email with the same answer', async () => {
    const wrong = await login(product, analyst.email, 'not the password at all', '10.0.0.1');
    const unknown = await login(product, 'nobody@example.com', 'not the password at all', '10.0.0.1');
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    assert.deepEqual(wrong.json(), unknown.json());
    assert.equal(wrong.json().error, 'INVALID_CREDENTIALS');
    assert.equal(wrong.headers['set-cookie'], undefined);
  });

  it('refuses a disabled account even with the right password', async () => {
    const user = await createTestUser(product, 'auditor');
    await product.deps.db.updateTable('users').set({ disabled_at: now }).where('id', '=', user.id).execute();
    const response = await login(product, user.email, user.password, '10.0.0.2');
    assert.equal(response.statusCode, 401);
    assert.equal(response.json().error, 'INVALID_CREDENTIALS');
  });

  it('records every sign-in and failed sign-in in the audit log, with the reason kept inside', async () => {
    const entries = await listAudit(product.deps.db, { limit: 500 });
    const signIns = entries.filter((e) => e.action === 'SIGN_IN' && e.subjectId === analyst.id);
    assert.ok(signIns.length >= 3);
    assert.equal(signIns[0]?.actor, `user:${analyst.id}`);
    const failed = entries.filter((e) => e.action === 'SIGN_IN_FAILED');
    const reasons = failed.map((e) => e.detail.reason).sort();
    assert.deepEqual(reasons, ['account disabled', 'unknown account', 'wrong password']);
    const wrong = failed.find((e) => e.detail.reason === 'wrong password');
    assert.equal(wrong?.subjectId, analyst.id);
    assert.equal(wrong?.ip, '10.0.0.1');
    assert.equal(wrong?.actor, 'anonymous');
  });

  it('throttles an account after 5 failures in 15 minutes, even with the right password, until the window passes', async () => {
    const user = await createTestUser(product, 'analyst');
    for (let i = 0; i < 5; i++) {
      // From different addresses: the account limit holds whatever the address.
      const response = await login(product, user.email, `wrong password ${i}`, `10.1.0.${i}`);
      assert.equal(response.statusCode, 401);
    }
    const blocked = await login(product, user.email, user.password, '10.1.0.99');
    assert.equal(blocked.statusCode, 429);
    assert.equal(blocked.json().error, 'RATE_LIMITED');
    assert.equal(blocked.headers['retry-after'], String(15 * 60));
    // Another account is not affected.
    assert.equal((await login(product, analyst.email, analyst.password, '10.1.0.99')).statusCode, 200);

    now = new Date(now.getTime() + 14 * 60_000);
    assert.equal((await login(product, user.email, user.password, '10.1.0.99')).statusCode, 429);
    now = new Date(now.getTime() + 60_000 + 1000);
    assert.equal((await login(product, user.email, user.password, '10.1.0.99')).statusCode, 200);
    const throttled = (await listAudit(product.deps.db, { limit: 500 })).filter(
      (e) => e.action === 'SIGN_IN_FAILED' && e.detail.reason === 'throttled',
    );
    assert.equal(throttled.length, 2);
  });

  it('throttles an address after 20 failures in 15 minutes, whichever accounts it tries', async () => {
    const ip = '192.0.2.7';
    for (let i = 0; i < 20; i++) {
      const response = await login(product, `guess${i}@example.com`, 'wrong password', ip);
      assert.equal(response.statusCode, 401, `attempt ${i}`);
    }
    assert.equal((await login(product, analyst.email, analyst.password, ip)).statusCode, 429);
    assert.equal((await login(product, analyst.email, analyst.password, '192.0.2.8')).statusCode, 200);
    now = new Date(now.getTime() + 15 * 60_000 + 1000);
    assert.equal((await login(product, analyst.email, analyst.password, ip)).statusCode, 200);
  });

  it('resets the account count after a successful sign-in', async () => {
    const user = await createTestUser(product, 'auditor');
    for (let i = 0; i < 4; i++) await login(product, user.email, 'wrong password', '10.2.0.1');
    assert.equal((await login(product, user.email, user.password, '10.2.0.1')).statusCode, 200);
    for (let i = 0; i < 4; i++) await login(product, user.email, 'wrong password', '10.2.0.1');
    assert.equal((await login(product, user.email, user.password, '10.2.0.1')).statusCode, 200);
  });

  it('refuses a sign-in posted from another origin, and accepts the public origin', async () => {
    const foreign = await product.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: analyst.email, password: analyst.password },
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(foreign.statusCode, 403);
    assert.equal(foreign.json().error, 'CSRF_FAILED');
    const own = await product.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: analyst.email, password: analyst.password },
      headers: { origin: new URL(product.config.publicUrl).origin },
    });
    assert.equal(own.statusCode, 200);
  });

  it('answers /auth/me for the session and 401 without one', async () => {
    const session = await signIn(product, analyst);
    const me = await session.inject({ method: 'GET', url: '/api/v1/auth/me' });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().user.id, analyst.id);
    assert.equal(me.json().csrfToken, session.csrfToken);
    const anonymous = await product.app.inject({ method: 'GET', url: '/api/v1/auth/me' });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().error, 'UNAUTHENTICATED');
    const forged = await product.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { [SESSION_COOKIE]: 'A'.repeat(43) },
    });
    assert.equal(forged.statusCode, 401);
  });
});

describe(`sign-in behind HTTPS (${engine})`, () => {
  let product: Product;
  before(async () => {
    product = await startTestProduct({ env: { PUBLIC_URL: 'https://psirt.example.com' } });
  });
  after(() => product.stop());

  it('marks the session cookie Secure when the public URL is https', async () => {
    const user = await createTestUser(product, 'auditor');
    const response = await login(product, user.email, user.password);
    assert.equal(response.statusCode, 200);
    const header = String(response.headers['set-cookie']);
    assert.match(header, /; Secure/);
    assert.match(header, /; HttpOnly/);
    assert.match(header, /; SameSite=Lax/);
  });
});

describe(`sign-in throttling across a restart (${engine})`, () => {
  it('keeps counting failures after the server restarts on the same data', async () => {
    const database = await freshDatabase();
    const dataDir = tempDir();
    const options = { dataDir, ...(database.url ? { databaseUrl: database.url } : {}) };
    try {
      const first = await startTestProduct(options);
      const user = await createTestUser(first, 'analyst');
      for (let i = 0; i < 5; i++) await login(first, user.email, 'wrong password');
      await first.stop();
      const second = await startTestProduct(options);
      try {
        assert.equal((await login(second, user.email, user.password)).statusCode, 429);
      } finally {
        await second.stop();
      }
    } finally {
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
