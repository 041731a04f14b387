// Opens the database: PostgreSQL when a URL is given, otherwise the embedded PGlite in the data folder.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { useNamedStatements } from './pg-named-statements.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { DB } from './schema.ts';

export type Engine = 'pglite' | 'postgres';

/** What a store function queries through: the database or a transaction open on it. */
export type Db = Kysely<DB> | Transaction<DB>;

/** A unique constraint refused the write (PostgreSQL and PGlite both report SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}

export type Database = {
  db: Kysely<DB>;
  engine: Engine;
  close(): Promise<void>;
};

const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;

export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir: string;
  poolSize?: number;
  /** An idle pooled connection was closed by the server (restart, failover, admin command). */
  onConnectionLost?: (error: Error) => void;
}): Promise<Database> {
  if (options.databaseUrl) {
    return openPostgres(options.databaseUrl, options.poolSize ?? 10, options.onConnectionLost);
  }
  return openPGlite(path.join(options.dataDir, 'pgdata'));
}

function openPostgres(url: string, poolSize: number, onConnectionLost?: (error: Error) => void): Database {
  const types = {
    getTypeParser: (oid: number, format?: string) => {
      if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
      if (oid === DATE) return (value: string) => value;
      return pg.types.getTypeParser(oid, format as 'text');
    },
  };
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  // Without a listener, an idle connection that the server closes crashes the process. The pool
  // drops the broken connection and opens a new one for the next query.
  pool.on('error', (error) => onConnectionLost?.(error));
  pool.on('connect', useNamedStatements);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: 'postgres', close: () => db.destroy() };
}

async function openPGlite(dir: string): Promise<Database> {
  fs.mkdirSync(dir, { recursive: true });
  const releaseLock = lockDataFolder(dir);
  try {
    const client = await PGlite.create({
      dataDir: dir,
      extensions: { pg_trgm },
      parsers: { [INT8]: Number, [NUMERIC]: Number, [DATE]: (value: string) => value },
    });
    const db = new Kysely<DB>({ dialect: new PGliteDialect(client) });
    return {
      db,
      engine: 'pglite',
      close: async () => {
        await db.destroy();
        await client.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/** PGlite corrupts its folder if two processes open it; a pid file keeps the second one out. */
function lockDataFolder(dir: string): () => void {
  const lockPath = path.join(dir, 'openpsirt.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(lockPath, 'utf8'));
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `The embedded database in ${dir} is in use by process ${holder}. Stop it first, or set DATABASE_URL to use PostgreSQL.`,
        );
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock the embedded database in ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
