import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { engine, startTestProduct, type TestProduct } from '../support/product.ts';

describe(`losing database connections (${engine})`, () => {
  let product: TestProduct & { stop(): Promise<void> };
  before(async () => {
    product = await startTestProduct();
  });
  after(() => product.stop());

  it('keeps serving after the server closes its idle connections', {
    skip: engine === 'pglite' && 'PGlite has no server to close connections; runs on PostgreSQL',
  }, async () => {
    const warm = await product.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(warm.statusCode, 200);
    const admin = new pg.Client({ connectionString: product.config.databaseUrl });
    await admin.connect();
    const { rowCount } = await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    await admin.end();
    assert.ok((rowCount ?? 0) > 0, 'the product had idle connections to close');
    // Let the pool notice the closed sockets; an unhandled pool error would end this process here.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = await product.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(after.statusCode, 200);
  });
});
