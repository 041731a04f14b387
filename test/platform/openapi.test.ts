import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HTTPMethods } from 'fastify';
import { defaultConsoleDist } from '../../src/console/routes.ts';
import { engine, startTestProduct } from '../support/product.ts';

type TestProduct = Awaited<ReturnType<typeof startTestProduct>>;
type Route = { method: string; url: string };

/**
 * Every route the app registered, read from Fastify's own route tree (`printRoutes` with
 * `commonPrefix: false` prints one node per registered path; nesting adds to the parent's path).
 */
function registeredRoutes(tree: string): Route[] {
  const routes: Route[] = [];
  const prefixes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) {
      assert.equal(line.trim(), '', `unexpected route tree line ${JSON.stringify(line)}`);
      continue;
    }
    const [, indent = '', segment = '', methods] = match;
    const depth = indent.length / 4;
    const parent = prefixes[depth - 1] ?? '';
    // A wildcard `/a/*` prints as a child `*` of `a`, without the slash.
    const url = parent + (segment === '*' && !parent.endsWith('/') ? '/*' : segment);
    prefixes[depth] = url;
    prefixes.length = depth + 1;
    for (const method of methods?.split(', ') ?? []) routes.push({ method, url });
  }
  return routes;
}

// @fastify/swagger writes a wildcard `*` as `{*}`.
const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\*$/, '{*}');

/** What a public GET answers: /console redirects to /console/, whose files are 503 until `npm run build:web`. */
function publicStatus(url: string): number {
  if (url === '/console') return 302;
  if (url.startsWith('/console/'))
    return fs.existsSync(path.join(defaultConsoleDist, 'index.html')) ? 200 : 503;
  return 200;
}

describe(`OpenAPI document and platform endpoints (${engine})`, () => {
  let product: TestProduct;
  let routes: Route[];
  let doc: {
    openapi: string;
    servers: { url: string }[];
    paths: Record<string, Record<string, Record<string, unknown>>>;
  };
  before(async () => {
    product = await startTestProduct();
    routes = registeredRoutes(product.app.printRoutes({ commonPrefix: false }));
    const response = await product.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /^application\/json/);
    doc = response.json();
  });
  after(() => product.stop());

  it('reads the registered routes correctly from the route tree', () => {
    assert.ok(routes.length >= 15, `found ${routes.length} routes`);
    for (const route of routes) {
      assert.ok(
        product.app.hasRoute({ method: route.method as HTTPMethods, url: route.url }),
        `${route.method} ${route.url} is a route`,
      );
    }
    for (const expected of ['POST /api/v1/reports', 'GET /status/:token', 'POST /status/:token/replies']) {
      assert.ok(
        routes.some((r) => `${r.method} ${r.url}` === expected),
        `${expected} is among the routes`,
      );
    }
  });

  it('is an OpenAPI 3.1.0 document served for the public URL', () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(
      doc.servers.map((s) => s.url),
      [product.config.publicUrl],
    );
  });

  it('documents every registered route, apart from the HEAD twins of GET routes', () => {
    const undocumented = routes
      .filter((r) => !(r.method === 'HEAD' && routes.some((g) => g.method === 'GET' && g.url === r.url)))
      .filter((r) => doc.paths[toOpenApiPath(r.url)]?.[r.method.toLowerCase()] === undefined)
      .map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(undocumented, []);
  });

  it('documents only routes that exist, each with a summary and a tag', () => {
    for (const [url, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const fastifyUrl = url.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1').replace(/\{\*\}$/, '*');
        assert.ok(
          routes.some((r) => r.method === method.toUpperCase() && r.url === fastifyUrl),
          `${method} ${url} is served`,
        );
        assert.equal(typeof operation.summary, 'string', `${method} ${url} has a summary`);
        assert.ok((operation.tags as string[] | undefined)?.length, `${method} ${url} has a tag`);
      }
    }
  });

  it('documents report submission: JSON and multipart bodies, 201 and 400 answers', () => {
    const operation = doc.paths['/api/v1/reports']?.post as {
      requestBody: { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
      responses: Record<
        string,
        { content: Record<string, { schema: { properties: Record<string, unknown> } }> }
      >;
    };
    assert.ok(operation, 'POST /api/v1/reports is documented');
    const content = operation.requestBody.content;
    assert.deepEqual(Object.keys(content).sort(), ['application/json', 'multipart/form-data']);
    assert.ok(content['application/json']?.schema.properties.description);
    assert.ok(content['multipart/form-data']?.schema.properties.attachments, 'multipart names the files');
    const created = operation.responses['201']?.content['application/json']?.schema.properties;
    assert.deepEqual(Object.keys(created ?? {}).sort(), ['statusToken', 'statusUrl', 'trackingId']);
    const refused = operation.responses['400']?.content['application/json']?.schema.properties;
    assert.deepEqual(Object.keys(refused ?? {}).sort(), ['error', 'fields', 'message']);
  });

  it('answers /healthz with status ok and /readyz with 200 when the database is reachable', async () => {
    const health = await product.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(health.statusCode, 200);
    assert.deepEqual(health.json(), { status: 'ok' });
    const ready = await product.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ready', database: 'ok' });
  });

  it('sends the security headers on every kind of answer, errors included', async () => {
    const requests: {
      method: 'GET' | 'POST' | 'HEAD';
      url: string;
      payload?: string;
      headers?: Record<string, string>;
      status: number;
    }[] = [
      ...routes
        .filter((r) => r.method === 'GET' && !r.url.includes(':'))
        // Routes for signed-in roles answer 401 here; the security headers must be there all the same.
        .map((r) => ({
          method: 'GET' as const,
          url: r.url,
          status: product.app.routeAccess.get(`GET ${r.url}`) === 'public' ? publicStatus(r.url) : 401,
        })),
      { method: 'HEAD', url: '/', status: 200 },
      { method: 'GET', url: '/no/such/page', headers: { accept: 'text/html' }, status: 404 },
      { method: 'GET', url: '/api/no/such/thing', status: 404 },
      { method: 'GET', url: `/status/${'A'.repeat(43)}`, headers: { accept: 'text/html' }, status: 404 },
      { method: 'GET', url: `/status/${'A'.repeat(500)}`, headers: { accept: 'text/html' }, status: 404 },
      { method: 'GET', url: '/status/%E0%A4%A', status: 400 },
      { method: 'GET', url: `/api/v1/reports/status/${'A'.repeat(43)}`, status: 404 },
      { method: 'GET', url: `/api/v1/reports/status/${'A'.repeat(90)}`, status: 404 },
      { method: 'GET', url: `/api/v1/reports/status/${'A'.repeat(500)}`, status: 404 },
      {
        method: 'POST',
        url: '/api/v1/reports',
        payload: JSON.stringify({ title: 't', description: 'd' }),
        headers: { 'content-type': 'application/json' },
        status: 201,
      },
      {
        method: 'POST',
        url: '/api/v1/reports',
        payload: '{"title": ',
        headers: { 'content-type': 'application/json' },
        status: 400,
      },
      {
        method: 'POST',
        url: '/api/v1/reports',
        payload: 'title=t',
        headers: { 'content-type': 'text/plain' },
        status: 415,
      },
      // Not a device protocol route: an HTML 404 with every header.
      { method: 'GET', url: '/device/v1/no-such-thing', headers: { accept: 'text/html' }, status: 404 },
      {
        method: 'POST',
        url: '/device/v1/check-in',
        payload: JSON.stringify({ installedVersion: '1.0.0', nonce: 'n'.repeat(16) }),
        headers: { 'content-type': 'application/json' },
        status: 401,
      },
      {
        method: 'POST',
        url: '/report',
        payload: 'title=&description=',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        status: 400,
      },
    ];
    for (const request of requests) {
      const response = await product.app.inject(request);
      const what = `${request.method} ${request.url.slice(0, 60)}`;
      assert.equal(response.statusCode, request.status, `${what}: ${response.body.slice(0, 200)}`);
      if (request.url.startsWith('/device/v1/') && response.statusCode !== 404) {
        // Devices never render answers: only nosniff, so an idle check-in stays small.
        assert.equal(response.headers['x-content-type-options'], 'nosniff', what);
        assert.equal(response.headers['content-security-policy'], undefined, what);
        continue;
      }
      const csp = response.headers['content-security-policy'];
      assert.equal(typeof csp, 'string', `${what} has a content security policy`);
      assert.ok(!(csp as string).includes('unsafe-inline'), `${what}: no unsafe-inline`);
      assert.ok(!(csp as string).includes('unsafe-eval'), `${what}: no unsafe-eval`);
      assert.match(csp as string, /default-src 'none'/);
      assert.match(csp as string, /frame-ancestors 'none'/);
      assert.equal(response.headers['x-content-type-options'], 'nosniff', what);
      assert.equal(response.headers['referrer-policy'], 'no-referrer', what);
    }
  });
});
