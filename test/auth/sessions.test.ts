import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SESSION_COOKIE } from '../../src/auth/http-access.ts';
import { listAudit } from '../../src/platform/audit.ts';
import { createTestUser, signIn, signInAs } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';

type Product = Awaited<ReturnType<typeof startTestProduct>>;

const me = { method: 'GET', url: '/api/v1/auth/me' } as const;

describe(`sessions and CSRF (${engine})`, () => {
  let product: Product;
  let now = new Date('2026-11-25T08:00:00Z');

  before(async () => {
    product = await startTestProduct({
      clock: () => now,
      env: { SESSION_IDLE_MINUTES: '30', SESSION_MAX_HOURS: '2' },
    });
  });
  after(() => product.stop());

  const withCookie = (cookie: string, extra: Record<string, string> = {}) => ({
    headers: { cookie: `${SESSION_COOKIE}=${cookie}`, ...extra },
  });
  const newToken = {
    method: 'POST',
    url: '/api/v1/tokens',
    payload: { name: 'ci', role: 'analyst' },
  } as const;

  it('refuses a state-changing request with the session cookie but no CSRF token', async () => {
    const session = await signInAs(product, 'analyst');
    const response = await product.app.inject({ ...newToken, ...withCookie(session.cookie) });
    assert.equal(response.statusCode, 403);
    assert.equal(response.json().error, 'CSRF_FAILED');
    const tokens = await product.deps.db.selectFrom('api_tokens').select('id').execute();
    assert.equal(tokens.length, 0, 'nothing was created');
  });

  it('refuses a wrong CSRF token, and another session’s token', async () => {
    const session = await signInAs(product, 'analyst');
    const other = await signInAs(product, 'analyst');
    for (const csrf of ['wrong', other.csrfToken, `${session.csrfToken}x`]) {
      const response = await product.app.inject({
        ...newToken,
        ...withCookie(session.cookie, { 'x-csrf-token': csrf }),
      });
      assert.equal(response.statusCode, 403, csrf);
      assert.equal(response.json().error, 'CSRF_FAILED');
    }
  });

  it('accepts the CSRF token in the x-csrf-token header', async () => {
    const session = await signInAs(product, 'analyst');
    const response = await product.app.inject({
      ...newToken,
      ...withCookie(session.cookie, { 'x-csrf-token': session.csrfToken }),
    });
    assert.equal(response.statusCode, 201, response.body);
  });

  it('accepts the CSRF token as the _csrf field of a urlencoded form, and refuses the form without it', async () => {
    const session = await signInAs(product, 'analyst');
    const form = (fields: Record<string, string>) =>
      product.app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        payload: new URLSearchParams(fields).toString(),
        ...withCookie(session.cookie, { 'content-type': 'application/x-www-form-urlencoded' }),
      });
    assert.equal((await form({})).statusCode, 403);
    assert.equal((await form({ _csrf: 'nope' })).statusCode, 403);
    assert.equal((await form({ _csrf: session.csrfToken })).statusCode, 204);
  });

  it('needs no CSRF token for reads, nor for requests with a bearer token', async () => {
    const session = await signInAs(product, 'analyst');
    assert.equal((await product.app.inject({ ...me, ...withCookie(session.cookie) })).statusCode, 200);
    const token = await session.createToken();
    const response = await product.app.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${token.id}`,
      headers: { authorization: `Bearer ${token.token}` },
    });
    assert.equal(response.statusCode, 204);
  });

  it('signs out: the cookie is cleared and the session no longer works', async () => {
    const session = await signInAs(product, 'auditor');
    const out = await session.inject({ method: 'POST', url: '/api/v1/auth/logout' });
    assert.equal(out.statusCode, 204);
    assert.match(String(out.headers['set-cookie']), new RegExp(`^${SESSION_COOKIE}=;`));
    assert.equal((await session.inject(me)).statusCode, 401);
    const audit = await listAudit(product.deps.db, { limit: 10 });
    assert.equal(audit[0]?.action, 'SIGN_OUT');
    assert.equal(audit[0]?.subjectId, session.user.id);
  });

  it('signs out everywhere: every session of the user ends, other users keep theirs', async () => {
    const user = await createTestUser(product, 'analyst');
    const laptop = await signIn(product, user);
    const phone = await signIn(product, user);
    const token = await laptop.createToken();
    const someoneElse = await signInAs(product, 'analyst');
    const out = await phone.inject({ method: 'POST', url: '/api/v1/auth/logout-everywhere' });
    assert.equal(out.statusCode, 204);
    assert.equal((await laptop.inject(me)).statusCode, 401);
    assert.equal((await phone.inject(me)).statusCode, 401);
    assert.equal((await someoneElse.inject(me)).statusCode, 200);
    assert.equal((await token.inject(me)).statusCode, 200, 'API tokens are revoked one by one, not here');
  });

  it('changes the password: the old one stops working, other sessions end, this one stays', async () => {
    const user = await createTestUser(product, 'analyst');
    const here = await signIn(product, user);
    const elsewhere = await signIn(product, user);
    const newPassword = 'a much longer new passphrase';
    const wrong = await here.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: 'not my password', newPassword },
    });
    assert.equal(wrong.statusCode, 400);
    assert.ok(wrong.json().fields.currentPassword);
    const short = await here.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: user.password, newPassword: 'short' },
    });
    assert.equal(short.statusCode, 400);
    assert.ok(short.json().fields.newPassword);
    const ok = await here.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: user.password, newPassword },
    });
    assert.equal(ok.statusCode, 204, ok.body);
    assert.equal((await here.inject(me)).statusCode, 200);
    assert.equal((await elsewhere.inject(me)).statusCode, 401);
    const oldLogin = await product.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: user.password },
    });
    assert.equal(oldLogin.statusCode, 401);
    await signIn(product, { email: user.email, password: newPassword });
    const audit = await listAudit(product.deps.db, { limit: 20 });
    assert.ok(audit.some((e) => e.action === 'PASSWORD_CHANGED' && e.subjectId === user.id));
  });

  it('ends a session left idle longer than SESSION_IDLE_MINUTES', async () => {
    const session = await signInAs(product, 'auditor');
    now = new Date(now.getTime() + 29 * 60_000);
    assert.equal((await session.inject(me)).statusCode, 200, 'activity keeps it alive');
    now = new Date(now.getTime() + 29 * 60_000);
    assert.equal((await session.inject(me)).statusCode, 200);
    now = new Date(now.getTime() + 31 * 60_000);
    assert.equal((await session.inject(me)).statusCode, 401);
  });

  it('ends a session SESSION_MAX_HOURS after sign-in, however active', async () => {
    const session = await signInAs(product, 'auditor');
    for (const minutes of [20, 40, 60, 80, 100, 115]) {
      now = new Date(now.getTime() + (minutes === 115 ? 15 : 20) * 60_000);
      assert.equal((await session.inject(me)).statusCode, 200, `after ${minutes} minutes`);
    }
    now = new Date(now.getTime() + 10 * 60_000);
    assert.equal((await session.inject(me)).statusCode, 401);
  });
});
