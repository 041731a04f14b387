import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashSecret } from '../../src/auth/secrets.ts';
import { listAudit } from '../../src/platform/audit.ts';
import {
  createTestSupplier,
  createTestUser,
  signIn,
  signInAs,
  type TestSession,
  tokenInjector,
} from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';

type Product = Awaited<ReturnType<typeof startTestProduct>>;

const me = { method: 'GET', url: '/api/v1/auth/me' } as const;

describe(`API tokens (${engine})`, () => {
  let product: Product;
  let now = new Date('2026-11-25T09:00:00Z');
  let analyst: TestSession;

  before(async () => {
    product = await startTestProduct({ clock: () => now });
    analyst = await signInAs(product, 'analyst');
  });
  after(() => product.stop());

  it('shows the secret once, stores only its hash, and lists the token without it', async () => {
    const created = await analyst.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'CI pipeline', role: 'auditor' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const body = created.json();
    assert.match(body.token, /^opsirt_[A-Za-z0-9_-]{43}$/);
    assert.equal(body.prefix, body.token.slice(0, 13));
    assert.equal(body.role, 'auditor');
    assert.equal(created.headers['cache-control'], 'no-store');
    const row = await product.deps.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', body.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.token_hash, hashSecret(body.token));
    assert.ok(!JSON.stringify(row).includes(body.token));
    const listed = await analyst.inject({ method: 'GET', url: '/api/v1/tokens' });
    assert.equal(listed.statusCode, 200);
    assert.ok(!listed.body.includes(body.token), 'the list never shows the secret');
    assert.equal(listed.json().tokens[0].name, 'CI pipeline');
  });

  it('acts as the role of the token, not of its user', async () => {
    const token = await analyst.createToken({ role: 'auditor' });
    const who = await token.inject(me);
    assert.equal(who.statusCode, 200);
    assert.equal(who.json().user.role, 'auditor');
    assert.equal(who.json().csrfToken, null);
    // The audit log is for admins and auditors: an analyst may not read it, its auditor token may.
    assert.equal((await analyst.inject({ method: 'GET', url: '/api/v1/audit' })).statusCode, 403);
    assert.equal((await token.inject({ method: 'GET', url: '/api/v1/audit' })).statusCode, 200);
  });

  it('never grants more than the user has', async () => {
    const cases: [Awaited<ReturnType<typeof signInAs>>, string, number][] = [
      [analyst, 'admin', 400],
      [analyst, 'supplier', 400],
      [analyst, 'analyst', 201],
      [await signInAs(product, 'auditor'), 'analyst', 400],
      [await signInAs(product, 'supplier'), 'auditor', 400],
      [await signInAs(product, 'supplier'), 'supplier', 201],
      [await signInAs(product, 'admin'), 'analyst', 201],
    ];
    for (const [session, role, status] of cases) {
      const response = await session.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        payload: { name: 'x', role },
      });
      assert.equal(response.statusCode, status, `${session.user.role} asking for ${role}: ${response.body}`);
      if (status === 400) assert.ok(response.json().fields.role);
    }
  });

  it('gives a supplier token the supplier of its user', async () => {
    const supplier = await signInAs(product, 'supplier');
    const token = await supplier.createToken();
    assert.equal((await token.inject(me)).json().user.supplierId, supplier.user.supplierId);
  });

  it('records when a token was last used, at most once a minute', async () => {
    const token = await analyst.createToken();
    const lastUsed = async () =>
      (
        await product.deps.db
          .selectFrom('api_tokens')
          .select('last_used_at')
          .where('id', '=', token.id)
          .executeTakeFirstOrThrow()
      ).last_used_at;
    assert.equal(await lastUsed(), null);
    await token.inject(me);
    const first = await lastUsed();
    assert.equal(first?.toISOString(), now.toISOString());
    now = new Date(now.getTime() + 30_000);
    await token.inject(me);
    assert.equal((await lastUsed())?.toISOString(), first?.toISOString(), 'not rewritten within a minute');
    now = new Date(now.getTime() + 31_000);
    await token.inject(me);
    assert.equal((await lastUsed())?.toISOString(), now.toISOString());
  });

  it('stops working when revoked; others cannot revoke it; revocation is audited', async () => {
    const token = await analyst.createToken();
    const stranger = await signInAs(product, 'analyst');
    const refused = await stranger.inject({ method: 'DELETE', url: `/api/v1/tokens/${token.id}` });
    assert.equal(refused.statusCode, 404);
    assert.equal((await token.inject(me)).statusCode, 200);
    const revoked = await analyst.inject({ method: 'DELETE', url: `/api/v1/tokens/${token.id}` });
    assert.equal(revoked.statusCode, 204);
    assert.equal((await token.inject(me)).statusCode, 401);
    const audit = await listAudit(product.deps.db, { limit: 50 });
    const entry = audit.find((e) => e.action === 'TOKEN_REVOKED' && e.subjectId === token.id);
    assert.equal(entry?.actor, `user:${analyst.user.id}`);
    assert.ok(audit.some((e) => e.action === 'TOKEN_CREATED' && e.subjectId === token.id));
  });

  it('stops working after its expiry time', async () => {
    const token = await analyst.createToken({ expiresAt: new Date(now.getTime() + 3600_000).toISOString() });
    assert.equal((await token.inject(me)).statusCode, 200);
    now = new Date(now.getTime() + 3600_000);
    assert.equal((await token.inject(me)).statusCode, 401);
  });

  it('refuses a malformed or unknown bearer token with 401', async () => {
    for (const secret of ['opsirt_nope', 'garbage', `opsirt_${'A'.repeat(43)}`]) {
      assert.equal((await tokenInjector(product, secret)(me)).statusCode, 401);
    }
  });

  it('lets an admin see and revoke everyone’s tokens, and others only their own', async () => {
    const admin = await signInAs(product, 'admin');
    const own = await analyst.inject({ method: 'GET', url: '/api/v1/tokens' });
    assert.ok(own.json().tokens.every((t: { userId: string }) => t.userId === analyst.user.id));
    const all = await admin.inject({ method: 'GET', url: '/api/v1/tokens' });
    const owners = new Set(all.json().tokens.map((t: { userId: string }) => t.userId));
    assert.ok(owners.size > 1);
    const token = await analyst.createToken();
    assert.equal(
      (await admin.inject({ method: 'DELETE', url: `/api/v1/tokens/${token.id}` })).statusCode,
      204,
    );
  });
});

describe(`user administration (${engine})`, () => {
  let product: Product;
  let admin: TestSession;

  before(async () => {
    product = await startTestProduct();
    admin = await signInAs(product, 'admin');
  });
  after(() => product.stop());

  it('creates accounts; the email is unique whatever its case; the password must be long enough', async () => {
    const create = (payload: Record<string, unknown>) =>
      admin.inject({ method: 'POST', url: '/api/v1/users', payload });
    const created = await create({
      email: 'New.Analyst@example.com',
      name: 'New Analyst',
      role: 'analyst',
      password: 'long enough password',
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().email, 'new.analyst@example.com');
    const again = await create({
      email: 'new.analyst@EXAMPLE.com',
      name: 'Twin',
      role: 'analyst',
      password: 'long enough password',
    });
    assert.equal(again.statusCode, 409);
    const short = await create({ email: 'a@example.com', name: 'A', role: 'analyst', password: 'short' });
    assert.equal(short.statusCode, 400);
    const noSupplier = await create({
      email: 'b@example.com',
      name: 'B',
      role: 'supplier',
      password: 'long enough password',
    });
    assert.equal(noSupplier.statusCode, 400);
    assert.ok(noSupplier.json().fields.supplierId);
    const audit = await listAudit(product.deps.db, { limit: 20 });
    assert.ok(audit.some((e) => e.action === 'USER_CREATED' && e.subjectId === created.json().id));
  });

  it('lists the people a case can be assigned to for staff: enabled admins and analysts, names only', async () => {
    const analystUser = await createTestUser(product, 'analyst', { name: 'Assignable Analyst' });
    const disabled = await createTestUser(product, 'analyst', { name: 'Gone Analyst' });
    await admin.inject({ method: 'PATCH', url: `/api/v1/users/${disabled.id}`, payload: { disabled: true } });
    const auditorUser = await createTestUser(product, 'auditor', { name: 'Only Auditor' });
    const asAnalyst = await signIn(product, analystUser);
    const answer = await asAnalyst.inject({ method: 'GET', url: '/api/v1/users/assignable' });
    assert.equal(answer.statusCode, 200, answer.body);
    const { users } = answer.json() as { users: { id: string; name: string }[] };
    const ids = users.map((u) => u.id);
    assert.ok(ids.includes(analystUser.id) && ids.includes(admin.user.id));
    assert.ok(!ids.includes(disabled.id), 'a disabled account is not offered');
    assert.ok(!ids.includes(auditorUser.id), 'an auditor cannot hold a case');
    assert.deepEqual(Object.keys(users[0] ?? {}).sort(), ['id', 'name'], 'no email, role or other detail');
  });

  it('changes a role and audits it with the before and after', async () => {
    const user = await createTestUser(product, 'auditor');
    const changed = await admin.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      payload: { role: 'analyst' },
    });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json().role, 'analyst');
    const entry = (await listAudit(product.deps.db, { limit: 5 })).find((e) => e.action === 'ROLE_CHANGED');
    assert.deepEqual(entry?.detail, { from: 'auditor', to: 'analyst' });
    assert.equal(entry?.actor, `user:${admin.user.id}`);
    assert.equal(entry?.subjectId, user.id);
  });

  it('applies a role change to open sessions at once, and stops tokens above the new role', async () => {
    const user = await createTestUser(product, 'admin');
    const session = await signIn(product, user);
    const adminToken = await session.createToken({ role: 'admin' });
    const auditorToken = await session.createToken({ role: 'auditor' });
    await admin.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, payload: { role: 'analyst' } });
    assert.equal((await session.inject({ method: 'GET', url: '/api/v1/users' })).statusCode, 403);
    assert.equal((await adminToken.inject(me)).statusCode, 401);
    assert.equal((await auditorToken.inject(me)).statusCode, 200);
  });

  it('disabling ends the sessions and revokes the tokens of the account, audited', async () => {
    const user = await createTestUser(product, 'analyst');
    const session = await signIn(product, user);
    const token = await session.createToken();
    const disabled = await admin.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      payload: { disabled: true },
    });
    assert.equal(disabled.statusCode, 200);
    assert.equal(disabled.json().disabled, true);
    assert.equal((await session.inject(me)).statusCode, 401);
    assert.equal((await token.inject(me)).statusCode, 401);
    const entry = (await listAudit(product.deps.db, { limit: 5 })).find((e) => e.action === 'USER_DISABLED');
    assert.deepEqual(entry?.detail, { sessionsRevoked: 1, tokensRevoked: 1 });
    // Enabling again does not bring the old token back.
    await admin.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, payload: { disabled: false } });
    assert.equal((await token.inject(me)).statusCode, 401);
    await signIn(product, user);
  });

  it('needs a supplier for the supplier role and clears it for other roles', async () => {
    const user = await createTestUser(product, 'analyst');
    const patch = (payload: Record<string, unknown>) =>
      admin.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, payload });
    assert.equal((await patch({ role: 'supplier' })).statusCode, 400);
    assert.equal((await patch({ role: 'supplier', supplierId: crypto.randomUUID() })).statusCode, 400);
    const supplierId = await createTestSupplier(product);
    const toSupplier = await patch({ role: 'supplier', supplierId });
    assert.equal(toSupplier.statusCode, 200, toSupplier.body);
    assert.equal(toSupplier.json().supplierId, supplierId);
    const back = await patch({ role: 'analyst' });
    assert.equal(back.json().supplierId, null);
    const audit = await listAudit(product.deps.db, { limit: 10, subjectId: user.id, subjectType: 'user' });
    assert.ok(audit.some((e) => e.action === 'SUPPLIER_CHANGED' && e.detail.to === supplierId));
  });

  it('refuses to demote or disable the last enabled admin', async () => {
    const others = await product.deps.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .where('id', '<>', admin.user.id)
      .execute();
    for (const other of others) {
      await admin.inject({ method: 'PATCH', url: `/api/v1/users/${other.id}`, payload: { disabled: true } });
    }
    const demote = await admin.inject({
      method: 'PATCH',
      url: `/api/v1/users/${admin.user.id}`,
      payload: { role: 'analyst' },
    });
    assert.equal(demote.statusCode, 409);
    const disable = await admin.inject({
      method: 'PATCH',
      url: `/api/v1/users/${admin.user.id}`,
      payload: { disabled: true },
    });
    assert.equal(disable.statusCode, 409);
  });

  it('answers 404 for an unknown user', async () => {
    const response = await admin.inject({
      method: 'PATCH',
      url: `/api/v1/users/${crypto.randomUUID()}`,
      payload: { role: 'analyst' },
    });
    assert.equal(response.statusCode, 404);
  });

  it('keeps the audit log append-only', async () => {
    await assert.rejects(
      product.deps.db.deleteFrom('audit_log').execute(),
      /append-only/,
      'a delete is refused by the database',
    );
    await assert.rejects(
      product.deps.db.updateTable('audit_log').set({ action: 'X' }).execute(),
      /append-only/,
    );
  });

  it('pages the audit log with limit and before', async () => {
    const first = await admin.inject({ method: 'GET', url: '/api/v1/audit?limit=2' });
    assert.equal(first.statusCode, 200);
    const page1 = first.json();
    assert.equal(page1.entries.length, 2);
    const second = await admin.inject({
      method: 'GET',
      url: `/api/v1/audit?limit=2&before=${page1.nextBefore}`,
    });
    const page2 = second.json();
    assert.ok(BigInt(page2.entries[0].id) < BigInt(page1.entries[1].id));
  });
});
