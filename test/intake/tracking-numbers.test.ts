// Tracking ids (VR-YYYY-NNNN) come from one sequence per year: unique and increasing under
// concurrent submissions, restarting each year, and continuing from the counters of older versions.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import * as foundation from '../../src/db/migrations/20261125-0001-foundation.ts';
import { engine, freshDatabase, startTestProduct, tempDir } from '../support/product.ts';

type Product = Awaited<ReturnType<typeof startTestProduct>>;

async function submit(product: Product, fields: Record<string, string> = {}): Promise<string> {
  const response = await product.app.inject({
    method: 'POST',
    url: '/api/v1/reports',
    payload: { title: 'Telnet left open', description: 'Port 23 answers with a root shell.', ...fields },
  });
  assert.equal(response.statusCode, 201, response.body);
  return (response.json() as { trackingId: string }).trackingId;
}

describe(`tracking ids (${engine})`, () => {
  let now = new Date('2026-12-31T23:59:00Z');
  let product: Product;
  before(async () => {
    product = await startTestProduct({ clock: () => now, env: { REPORTS_PER_IP_PER_HOUR: '1000' } });
  });
  after(() => product.stop());

  it('numbers the reports of a year from 0001, one after another', async () => {
    assert.equal(await submit(product), 'VR-2026-0001');
    assert.equal(await submit(product, { reporterEmail: 'ada@example.org' }), 'VR-2026-0002');
    assert.equal(await submit(product), 'VR-2026-0003');
  });

  it('gives every concurrent submission its own number, with no duplicate', async () => {
    const ids = await Promise.all(Array.from({ length: 24 }, () => submit(product)));
    const numbers = ids.map((id) => Number(id.slice('VR-2026-'.length))).sort((a, b) => a - b);
    assert.deepEqual(
      numbers,
      Array.from({ length: 24 }, (_, i) => i + 4),
    );
  });

  it('starts again from 0001 in a new year', async () => {
    now = new Date('2027-01-01T00:00:30Z');
    assert.equal(await submit(product), 'VR-2027-0001');
    now = new Date('2027-01-01T00:01:00Z');
    assert.equal(await submit(product), 'VR-2027-0002');
  });

  it('skips a number taken by a refused submission rather than reusing it', async () => {
    const refused = await product.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { title: 't', description: 'd', productId: '00000000-0000-4000-8000-000000000000' },
    });
    assert.equal(refused.statusCode, 400, refused.body);
    assert.equal(await submit(product), 'VR-2027-0004');
  });
});

describe(`tracking ids after an upgrade from per-year counter rows (${engine})`, () => {
  const dataDir = tempDir();
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  before(async () => {
    database = await freshDatabase();
  });
  after(async () => {
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('continues each year after the last number its counter handed out', async () => {
    const old = await openDatabase({ dataDir, databaseUrl: database.url });
    try {
      const migrator = new Migrator({
        db: old.db,
        provider: { getMigrations: async () => ({ '20261125-0001-foundation': foundation }) },
      });
      const result = await migrator.migrateToLatest();
      assert.equal(result.error, undefined);
      await sql`insert into tracking_counters (year, last) values (2025, 317), (2026, 41)`.execute(old.db);
      await migrateToLatest(old.db as never);
    } finally {
      await old.close();
    }

    const product = await startTestProduct({
      dataDir,
      ...(database.url ? { databaseUrl: database.url } : {}),
      clock: () => new Date('2026-06-01T12:00:00Z'),
    });
    try {
      assert.equal(await submit(product), 'VR-2026-0042');
      assert.equal(await submit(product), 'VR-2026-0043');
      const [next2025] = (
        await sql<{ n: number }>`select nextval('tracking_number_2025') as n`.execute(product.deps.db)
      ).rows;
      assert.equal(Number(next2025?.n), 318);
    } finally {
      await product.stop();
    }
  });
});
