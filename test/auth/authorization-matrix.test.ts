// Walks every route of the OpenAPI document with every role, anonymous included, and checks the
// allow/deny expected in access-matrix.ts. No route may be missing from the matrix.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import Fastify, { type InjectOptions, type LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/auth/access.ts';
import { installAccessControl } from '../../src/auth/http-access.ts';
import { createTestUser, signIn, signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { accessMatrix, type MatrixFixtures, type Who } from './access-matrix.ts';

type Operation = { method: string; path: string; key: string };

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function defaultRequest(operation: Operation): InjectOptions {
  const url = operation.path.replace(/\{([^}]+)\}/g, () => crypto.randomUUID());
  return {
    method: operation.method as InjectOptions['method'],
    url,
    ...(stateChanging.has(operation.method) && operation.method !== 'DELETE' ? { payload: {} } : {}),
  };
}

describe(`authorization matrix (${engine})`, () => {
  let fixtures: MatrixFixtures;
  let operations: Operation[];

  before(async () => {
    const product = await startTestProduct();
    const supplier = await signInAs(product, 'supplier');
    const analyst = await signInAs(product, 'analyst');
    const as: Record<Role, TestSession> = {
      admin: await signInAs(product, 'admin'),
      analyst,
      supplier,
      auditor: await signInAs(product, 'auditor'),
    };
    const token = await analyst.createToken();
    fixtures = {
      product,
      as,
      ids: {
        supplierId: supplier.user.supplierId ?? '',
        userId: (await createTestUser(product, 'analyst')).id,
        tokenId: token.id,
      },
    };
    const doc = (await product.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => ({
        method: m.toUpperCase(),
        path,
        key: `${m.toUpperCase()} ${path}`,
      })),
    );
  });
  after(() => fixtures.product.stop());

  it('has a row for every route of the OpenAPI document', () => {
    const missing = operations.filter((o) => !accessMatrix[o.key]).map((o) => o.key);
    assert.deepEqual(missing, [], 'add these routes to test/auth/access-matrix.ts');
  });

  it('has no row for a route that does not exist', () => {
    const known = new Set(operations.map((o) => o.key));
    const stale = Object.keys(accessMatrix).filter((key) => !known.has(key));
    assert.deepEqual(stale, [], 'remove or rename these rows of test/auth/access-matrix.ts');
  });

  it('lets in exactly the roles of each row: 401 for anonymous and 403 for signed-in roles otherwise', async () => {
    const problems: string[] = [];
    const who: Who[] = ['anonymous', 'admin', 'analyst', 'supplier', 'auditor'];
    for (const operation of operations) {
      const row = accessMatrix[operation.key];
      if (!row) continue;
      const request = { ...defaultRequest(operation), ...(row.request?.(fixtures) ?? {}) };
      for (const role of who) {
        let response: LightMyRequestResponse;
        if (role === 'anonymous') response = await fixtures.product.app.inject(request);
        else {
          const session = row.freshSession
            ? await signIn(fixtures.product, fixtures.as[role].user)
            : fixtures.as[role];
          response = await session.inject(request);
          // Signing out everywhere ends the shared session too: take a new one for the next rows.
          if (row.freshSession) fixtures.as[role] = await signIn(fixtures.product, fixtures.as[role].user);
        }
        const allowed = row.allow.includes(role);
        const status = response.statusCode;
        const deniedStatus = role === 'anonymous' ? 401 : 403;
        if (allowed && (status === 401 || status === 403)) {
          problems.push(
            `${operation.key} as ${role}: expected allowed, got ${status} ${response.body.slice(0, 120)}`,
          );
        }
        if (!allowed && status !== deniedStatus) {
          problems.push(`${operation.key} as ${role}: expected ${deniedStatus}, got ${status}`);
        }
        if (!allowed && response.json().error !== (role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN')) {
          problems.push(`${operation.key} as ${role}: error code ${response.json().error}`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it('declares access on every registered route, hidden ones included, and agrees with the matrix on public ones', () => {
    const declared = fixtures.product.app.routeAccess;
    assert.ok(declared.size >= operations.length);
    for (const operation of operations) {
      const fastifyPath = operation.path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
        name === '*' ? '*' : `:${name}`,
      );
      const access = declared.get(`${operation.method} ${fastifyPath}`);
      assert.ok(access, `${operation.key} is declared`);
      const row = accessMatrix[operation.key];
      if (row) assert.equal(access === 'public', row.allow.includes('anonymous'), `${operation.key} public?`);
    }
  });
});

describe('the access declaration', () => {
  const build = async (config: Record<string, unknown> | undefined) => {
    const app = Fastify();
    await installAccessControl(app, {} as never);
    app.get('/x', { ...(config ? { config } : {}) }, async () => 'ok');
    await app.ready();
    return app;
  };

  it('makes the server refuse to start when a route declares no access', async () => {
    await assert.rejects(build(undefined), /Route GET \/x declares no access/);
  });

  it('refuses an empty role list and unknown roles', async () => {
    await assert.rejects(build({ access: { roles: [] } }), /declares no access/);
    await assert.rejects(build({ access: { roles: ['root'] } }), /declares no access/);
    await assert.rejects(build({ access: 'private' }), /declares no access/);
  });

  it('accepts public and a list of known roles', async () => {
    await (await build({ access: 'public' })).close();
    await (await build({ access: { roles: ['auditor'] } })).close();
  });
});
