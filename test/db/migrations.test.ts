import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { migrateToLatest, migrations } from '../../src/db/migrate.ts';
import { engine, freshDatabase, tempDir } from '../support/product.ts';

describe(`migrations (${engine})`, () => {
  let dataDir: string;
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let database: Database;
  before(async () => {
    dataDir = tempDir();
    fresh = await freshDatabase();
    database = await openDatabase({ databaseUrl: fresh.url, dataDir });
  });
  after(async () => {
    await database.close();
    await fresh.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const applied = async () =>
    (
      await sql<{ name: string }>`select name from kysely_migration order by name`.execute(database.db)
    ).rows.map((row) => row.name);

  it('applies a migration that arrives after later-named ones were applied, and then nothing twice', async () => {
    const names = Object.keys(migrations).sort();
    assert.ok(names.length >= 3, 'there are migrations to leave one out of');
    const lateName = names[1] as string;
    const withoutLate = Object.fromEntries(Object.entries(migrations).filter(([name]) => name !== lateName));
    await migrateToLatest(database.db as never, withoutLate);
    assert.ok(!(await applied()).includes(lateName));

    const result = await migrateToLatest(database.db as never);
    assert.deepEqual(
      result.results?.map((r) => [r.migrationName, r.status]),
      [[lateName, 'Success']],
    );
    assert.deepEqual(await applied(), names);
    const again = await migrateToLatest(database.db as never);
    assert.deepEqual(again.results, []);
  });
});
