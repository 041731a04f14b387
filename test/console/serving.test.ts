// The server serves the built console at /console: the app page for every client-side route (never
// cached), hashed assets cached for good, a console CSP that allows only our own scripts, and a clear
// 503 when the console was never built.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { consoleContentSecurityPolicy, consoleRoutes } from '../../src/console/routes.ts';
import { ensureConsoleBuilt } from '../support/console.ts';
import { engine, startTestProduct, tempDir } from '../support/product.ts';

describe(`the console's files at /console (${engine})`, () => {
  let product: Awaited<ReturnType<typeof startTestProduct>>;

  before(async () => {
    await ensureConsoleBuilt();
    product = await startTestProduct({ demo: false });
  });
  after(async () => product?.stop());

  it('redirects /console to /console/ and answers the app page there, not cached', async () => {
    const bare = await product.app.inject({ method: 'GET', url: '/console' });
    assert.equal(bare.statusCode, 302);
    assert.equal(bare.headers.location, '/console/');

    const index = await product.app.inject({ method: 'GET', url: '/console/' });
    assert.equal(index.statusCode, 200);
    assert.match(String(index.headers['content-type']), /^text\/html/);
    assert.equal(index.headers['cache-control'], 'no-cache');
    assert.match(index.body, /<div id="root">/);
    assert.match(
      index.body,
      /<script type="module" crossorigin src="\/console\/assets\/index-[\w-]+\.js"><\/script>/,
    );
  });

  it('answers the app page for client-side routes so that reloading a deep link works', async () => {
    for (const url of [
      '/console/inventory',
      '/console/inventory/firmware/0d9f',
      '/console/suppliers/x?tab=1',
    ]) {
      const response = await product.app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 200, url);
      assert.match(response.body, /<div id="root">/, url);
      assert.equal(response.headers['cache-control'], 'no-cache', url);
    }
  });

  it('serves hashed assets cacheable for a year, and 404 for a missing asset', async () => {
    const index = await product.app.inject({ method: 'GET', url: '/console/' });
    const assets = [...index.body.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)].map(
      (m) => m[1] ?? '',
    );
    assert.ok(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')), assets.join());
    for (const asset of assets) {
      const response = await product.app.inject({ method: 'GET', url: asset });
      assert.equal(response.statusCode, 200, asset);
      assert.match(String(response.headers['cache-control']), /max-age=31536000.*immutable/, asset);
      assert.match(
        String(response.headers['content-type']),
        asset.endsWith('.js') ? /javascript/ : /text\/css/,
      );
    }
    const missing = await product.app.inject({ method: 'GET', url: '/console/assets/index-nothere.js' });
    assert.equal(missing.statusCode, 404);
  });

  it('never serves files from outside the build folder', async () => {
    for (const url of [
      '/console/../package.json',
      '/console/%2e%2e/package.json',
      '/console/..%2fpackage.json',
    ]) {
      const response = await product.app.inject({ method: 'GET', url });
      assert.doesNotMatch(response.body, /"name": "openpsirt"/, url);
    }
  });

  it('sends a CSP that allows our own scripts and API calls, and nothing inline', async () => {
    const response = await product.app.inject({ method: 'GET', url: '/console/inventory' });
    const csp = String(response.headers['content-security-policy']);
    assert.equal(csp, consoleContentSecurityPolicy);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /connect-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(response.headers['x-frame-options'], 'DENY');
    const site = await product.app.inject({ method: 'GET', url: '/' });
    assert.doesNotMatch(
      String(site.headers['content-security-policy']),
      /script-src/,
      'public pages stay script-free',
    );
  });

  it('answers 503 with the command to run when the console was never built', async () => {
    const app = Fastify();
    await app.register(consoleRoutes, { deps: product.deps, distDir: tempDir('openpsirt-no-dist-') });
    try {
      const response = await app.inject({
        method: 'GET',
        url: '/console/inventory',
        headers: { accept: 'text/html' },
      });
      assert.equal(response.statusCode, 503);
      assert.match(response.body, /npm run build:web/);
      assert.equal(response.headers['cache-control'], 'no-store');
    } finally {
      await app.close();
    }
  });
});
