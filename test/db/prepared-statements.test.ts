import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { engine, freshDatabase, tempDir } from '../support/product.ts';

describe(`statements on PostgreSQL (${engine})`, () => {
  let dataDir: string;
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let database: Database;
  before(async () => {
    dataDir = tempDir();
    fresh = await freshDatabase();
    database = await openDatabase({ databaseUrl: fresh.url, dataDir, poolSize: 1 });
  });
  after(async () => {
    await database.close();
    await fresh.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('prepares a parameterised statement once per connection and reuses it with other values', {
    skip: engine === 'pglite' && 'the pg pool is used only with DATABASE_URL; runs on PostgreSQL',
  }, async () => {
    const prepared = async () =>
      (
        await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(database.db)
      ).rows.map((row) => row.statement);
    const double = (n: number) => sql<{ twice: number }>`select ${n}::int * 2 as twice`.execute(database.db);
    assert.equal((await double(21)).rows[0]?.twice, 42);
    assert.equal((await double(5)).rows[0]?.twice, 10, 'the prepared statement takes new values');
    const statements = (await prepared()).filter((text) => text.includes('* 2 as twice'));
    assert.equal(statements.length, 1, 'one prepared statement for the text, used twice');
  });
});
