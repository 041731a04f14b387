import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { maxNamedStatements } from '../../src/db/pg-named-statements.ts';
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

  it('answers after a table changed shape under a prepared statement (the stale plan is replaced)', async () => {
    await sql`create table shape_change (a int)`.execute(database.db);
    await sql`insert into shape_change values (1)`.execute(database.db);
    const read = (a: number) =>
      sql<Record<string, unknown>>`select * from shape_change where a = ${a}`.execute(database.db);
    assert.deepEqual((await read(1)).rows, [{ a: 1 }]);
    await sql`alter table shape_change add column b text default 'x'`.execute(database.db);
    assert.deepEqual(
      (await read(1)).rows,
      [{ a: 1, b: 'x' }],
      'the changed table is read with its new column',
    );
    assert.deepEqual((await read(1)).rows, [{ a: 1, b: 'x' }], 'and again, prepared afresh');
  });

  it('keeps at most a bounded number of named statements per connection', {
    skip: engine === 'pglite' && 'the pg pool is used only with DATABASE_URL; runs on PostgreSQL',
  }, async () => {
    for (let i = 0; i < maxNamedStatements + 20; i++) {
      const rows = (await sql<{ n: number }>`select ${i}::int + ${sql.lit(i)} as n`.execute(database.db))
        .rows;
      assert.equal(rows[0]?.n, 2 * i);
    }
    const count = await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements`.execute(
      database.db,
    );
    assert.ok((count.rows[0]?.n ?? 0) <= maxNamedStatements, `at most ${maxNamedStatements} statements`);
  });
});
