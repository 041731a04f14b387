// A fresh, empty place to store data for one benchmark run: a temporary data folder, and for
// PostgreSQL a new database on the server at DATABASE_URL, both removed afterwards.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { EngineChoice } from './bench-options.ts';

export const postgresServerUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export type FreshDatabase = {
  dataDir: string;
  /** Unset for PGlite, which lives in dataDir. */
  databaseUrl: string | undefined;
  drop(): Promise<void>;
};

export async function freshDatabase(engine: EngineChoice): Promise<FreshDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'openpsirt-bench-'));
  const removeDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  if (engine === 'pglite') return { dataDir, databaseUrl: undefined, drop: async () => removeDir() };

  const name = `openpsirt_bench_${crypto.randomBytes(6).toString('hex')}`;
  await administer(`create database ${name}`);
  const url = new URL(postgresServerUrl);
  url.pathname = `/${name}`;
  return {
    dataDir,
    databaseUrl: url.toString(),
    async drop() {
      await administer(`drop database if exists ${name} with (force)`);
      removeDir();
    },
  };
}

async function administer(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresServerUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
