// Accounts for tests: create a user of any role, sign in through the real API, and send requests as
// that user (session cookie + CSRF header) or with an API token.
//
//   const analyst = await signInAs(product, 'analyst');
//   const response = await analyst.inject({ method: 'POST', url: '/api/v1/things', payload: { … } });
//   const supplier = await signInAs(product, 'supplier', { supplierId });
//   const bot = await analyst.createToken({ role: 'auditor' }); await bot.inject({ url: '/api/v1/audit' });
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/auth/access.ts';
import { SESSION_COOKIE } from '../../src/auth/http-access.ts';
import { createUser } from '../../src/auth/users.ts';
import type { Product } from '../../src/server.ts';

export type TestUser = {
  id: string;
  email: string;
  name: string;
  password: string;
  role: Role;
  supplierId: string | null;
};

/** Sends a request as someone; headers given in `options` are added to (and win over) theirs. */
export type Injector = (options: InjectOptions) => Promise<LightMyRequestResponse>;

export type TestSession = {
  user: TestUser;
  /** The raw session cookie value (for "cookie without CSRF token" cases). */
  cookie: string;
  csrfToken: string;
  /** With the session cookie and, on POST/PUT/PATCH/DELETE, the CSRF header. */
  inject: Injector;
  /** Creates an API token through the API (default: the user's own role). */
  createToken(options?: { role?: Role; name?: string; expiresAt?: string }): Promise<TestToken>;
};

export type TestToken = { id: string; token: string; role: Role; inject: Injector };

const defaultPassword = 'correct horse battery staple';

/** A supplier record for supplier accounts (the suppliers feature owns richer ways to make one). */
export async function createTestSupplier(product: Pick<Product, 'deps'>, name?: string): Promise<string> {
  const suffix = crypto.randomBytes(4).toString('hex');
  const row = await product.deps.db
    .insertInto('suppliers')
    .values({ slug: `test-supplier-${suffix}`, name: name ?? `Test supplier ${suffix}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Creates an account directly through the service (no admin needed); a supplier gets a new supplier unless given one. */
export async function createTestUser(
  product: Pick<Product, 'deps'>,
  role: Role,
  options: { supplierId?: string | null; email?: string; name?: string; password?: string } = {},
): Promise<TestUser> {
  const email = options.email ?? `${role}-${crypto.randomBytes(4).toString('hex')}@test.example`;
  const password = options.password ?? defaultPassword;
  const supplierId =
    options.supplierId !== undefined
      ? options.supplierId
      : role === 'supplier'
        ? await createTestSupplier(product)
        : null;
  const created = await createUser(
    product.deps,
    { email, name: options.name ?? `Test ${role}`, role, supplierId, password },
    'system',
  );
  return { id: created.id, email: created.email, name: created.name, password, role, supplierId };
}

const withHeaders = (options: InjectOptions, headers: Record<string, string>): InjectOptions => ({
  ...options,
  headers: { ...headers, ...(options.headers as Record<string, string> | undefined) },
});

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function sessionInjector(product: Pick<Product, 'app'>, cookie: string, csrfToken: string): Injector {
  return (options) => {
    const method = String(options.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = { cookie: `${SESSION_COOKIE}=${cookie}` };
    if (stateChanging.has(method)) headers['x-csrf-token'] = csrfToken;
    return product.app.inject(withHeaders(options, headers));
  };
}

export const tokenInjector =
  (product: Pick<Product, 'app'>, token: string): Injector =>
  (options) =>
    product.app.inject(withHeaders(options, { authorization: `Bearer ${token}` }));

/** Signs in through POST /api/v1/auth/login; fails the test when sign-in does not succeed. */
export async function signIn(
  product: Pick<Product, 'app'>,
  user: TestUser | { email: string; password: string },
): Promise<TestSession> {
  const response = await product.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: user.email, password: user.password },
  });
  assert.equal(response.statusCode, 200, `sign-in as ${user.email}: ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE)?.value;
  assert.ok(cookie, 'sign-in sets the session cookie');
  const body = response.json() as { user: Omit<TestUser, 'password'>; csrfToken: string };
  const inject = sessionInjector(product, cookie, body.csrfToken);
  return {
    user: { ...body.user, password: user.password },
    cookie,
    csrfToken: body.csrfToken,
    inject,
    async createToken(options = {}) {
      const created = await inject({
        method: 'POST',
        url: '/api/v1/tokens',
        payload: {
          name: options.name ?? 'test token',
          role: options.role ?? body.user.role,
          ...(options.expiresAt ? { expiresAt: options.expiresAt } : {}),
        },
      });
      assert.equal(created.statusCode, 201, `token for ${user.email}: ${created.body}`);
      const token = created.json() as { id: string; token: string; role: Role };
      return { ...token, inject: tokenInjector(product, token.token) };
    },
  };
}

/** Creates a user of the role and signs in as them. */
export async function signInAs(
  product: Pick<Product, 'app' | 'deps'>,
  role: Role,
  options: { supplierId?: string | null; email?: string; name?: string } = {},
): Promise<TestSession> {
  return signIn(product, await createTestUser(product, role, options));
}
