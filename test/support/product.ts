// Starts the real product for a test: PGlite in a fresh temporary folder by default, or a fresh
// PostgreSQL database when DATABASE_URL is set (so the same suite runs on both engines).
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { type Config, loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import type { Clock } from '../../src/platform/clock.ts';
import { type Product, startProduct } from '../../src/server.ts';

export const engine = process.env.DATABASE_URL ? 'postgres' : 'pglite';

export type TestProduct = Product & { config: Config; dataDir: string };

/** A fresh database of the selected engine; returns its URL (or undefined for PGlite) and a cleanup. */
export async function freshDatabase(): Promise<{ url: string | undefined; drop(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return { url: undefined, drop: async () => {} };
  const name = `openpsirt_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export function tempDir(prefix = 'openpsirt-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

const repoRoot = path.resolve(import.meta.dirname, '../..');

/**
 * An embedded database folder with every migration applied, shared by the test processes: creating
 * and migrating a PGlite folder takes about two seconds, copying one about a twentieth of that. The
 * folder's name is a hash of the migrations, their list and the PGlite version, so any change builds
 * a new one.
 */
async function migratedPGliteTemplate(): Promise<string> {
  const migrationsDir = path.join(repoRoot, 'src/db/migrations');
  const hash = crypto.createHash('sha256');
  for (const file of fs.readdirSync(migrationsDir).sort()) {
    hash.update(file).update(fs.readFileSync(path.join(migrationsDir, file)));
  }
  hash.update(fs.readFileSync(path.join(repoRoot, 'src/db/migrate.ts')));
  hash.update(fs.readFileSync(path.join(repoRoot, 'node_modules/@electric-sql/pglite/package.json')));
  const template = path.join(os.tmpdir(), `openpsirt-pglite-template-${hash.digest('hex').slice(0, 16)}`);
  if (fs.existsSync(template)) return template;
  const building = tempDir('openpsirt-pglite-building-');
  const database = await openDatabase({ dataDir: building });
  try {
    await migrateToLatest(database.db as never);
  } finally {
    await database.close();
  }
  try {
    fs.renameSync(building, template);
  } catch {
    // Another test process finished the same template first; theirs is as good as ours.
    fs.rmSync(building, { recursive: true, force: true });
  }
  return template;
}

/** A free TCP port on 127.0.0.1, so a listening test product knows its own public URL. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startTestProduct(
  options: {
    env?: Record<string, string>;
    clock?: Clock;
    listen?: boolean;
    demo?: boolean;
    dataDir?: string;
    databaseUrl?: string;
  } = {},
): Promise<TestProduct & { stop(): Promise<void> }> {
  const dataDir = options.dataDir ?? tempDir();
  const database = options.databaseUrl
    ? { url: options.databaseUrl, drop: async () => {} }
    : await freshDatabase();
  if (!database.url && !fs.existsSync(path.join(dataDir, 'pgdata'))) {
    fs.cpSync(path.join(await migratedPGliteTemplate(), 'pgdata'), path.join(dataDir, 'pgdata'), {
      recursive: true,
    });
  }
  const port = options.listen ? String(await freePort()) : '0';
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: port,
    ...(options.listen ? { PUBLIC_URL: `http://127.0.0.1:${port}` } : {}),
    LOG_LEVEL: 'silent',
    PGP_PASSPHRASE: 'test passphrase, not secret',
    WORKERS: 'false',
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    ...options.env,
  });
  const product = await startProduct(config, {
    listen: options.listen ?? false,
    log: pino({ level: 'silent' }),
    workerOptions: { pollMs: 50 },
    ...(options.clock ? { clock: options.clock } : {}),
  });
  if (options.demo ?? true) await seedDemo(product.deps.db);
  return {
    ...product,
    config,
    dataDir,
    async stop() {
      await product.close();
      await database.drop();
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Files in the blob store (committed attachments), for "nothing was stored" checks. */
export function storedBlobs(dataDir: string): string[] {
  const root = path.join(dataDir, 'blobs');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}
