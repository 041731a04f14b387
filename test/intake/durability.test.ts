// Kills the real server with SIGKILL in the middle of a burst of reports: every report it
// acknowledged with a 201 must be there after a restart, attachments included.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../../src/db/database.ts';
import { BlobStore } from '../../src/platform/blob-store.ts';
import { sha256Hex } from '../../src/platform/clock.ts';
import { engine, freePort, freshDatabase, tempDir } from '../support/product.ts';

const root = path.resolve(import.meta.dirname, '../..');
const TOTAL = 200;
const IN_FLIGHT = 16;
const KILL_AFTER = 100;

type Server = { child: ChildProcess; url: string; output: () => string; exited: Promise<number | null> };

/** Starts `openpsirt serve` as its own process and resolves once it says it is running. */
async function startServer(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, [path.join(root, 'src/main.ts'), 'serve'], {
    cwd: root,
    env: { ...inherited, ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = Date.now();
  while (!output.includes('OpenPSIRT is running')) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`);
    // Generous: on a loaded two-core machine a cold start (new folder, migrations, key) can be slow.
    if (Date.now() - started > 90_000) {
      child.kill('SIGKILL');
      throw new Error(`the server did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exited };
}

type Acknowledged = { trackingId: string; statusToken: string; attachment?: string };

/** The n-th report: JSON, or every fourth one multipart with a file of its own. */
function reportRequest(n: number): {
  body: string | FormData;
  attachment?: Buffer;
  headers?: Record<string, string>;
} {
  const fields = { title: `Burst report ${n}`, description: `Report number ${n} of the burst.\n`.repeat(20) };
  if (n % 4 !== 1) return { body: JSON.stringify(fields), headers: { 'content-type': 'application/json' } };
  const attachment = Buffer.concat([Buffer.from(`attachment of report ${n}\n`), crypto.randomBytes(4096)]);
  const form = new FormData();
  form.set('title', fields.title);
  form.set('description', fields.description);
  form.set('attachments', new Blob([attachment]), `capture-${n}.bin`);
  return { body: form, attachment };
}

describe(`durability of acknowledged reports under SIGKILL (${engine})`, () => {
  const dataDir = tempDir('openpsirt-durability-');
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let env: Record<string, string>;
  const servers: Server[] = [];

  before(async () => {
    database = await freshDatabase();
    env = {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      REPORTS_PER_IP_PER_HOUR: '1000000',
      PGP_PASSPHRASE: 'durability test passphrase',
      ...(database.url ? { DATABASE_URL: database.url } : {}),
    };
  });
  after(async () => {
    for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await Promise.all(servers.map((server) => server.exited));
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every report it acknowledged, with its files, after kill -9 and a restart', {
    timeout: 60_000,
  }, async () => {
    const first = await startServer(env);
    servers.push(first);
    const acknowledged: Acknowledged[] = [];
    let killed = false;
    let next = 0;

    async function sender() {
      while (!killed && next < TOTAL) {
        const n = next++;
        const request = reportRequest(n);
        try {
          const response = await fetch(`${first.url}/api/v1/reports`, {
            method: 'POST',
            body: request.body,
            ...(request.headers ? { headers: request.headers } : {}),
          });
          const body = (await response.json()) as Acknowledged;
          if (response.status !== 201)
            throw new Error(`report ${n}: ${response.status} ${JSON.stringify(body)}`);
          acknowledged.push({
            trackingId: body.trackingId,
            statusToken: body.statusToken,
            ...(request.attachment ? { attachment: sha256Hex(request.attachment) } : {}),
          });
        } catch (error) {
          if (!killed) throw error;
          return; // the server is gone: this report was never acknowledged
        }
        if (acknowledged.length >= KILL_AFTER && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    }
    await Promise.all(Array.from({ length: IN_FLIGHT }, () => sender()));
    assert.ok(killed, 'the server was killed during the burst');
    await first.exited;
    assert.equal(first.child.signalCode, 'SIGKILL');
    assert.ok(
      acknowledged.length >= KILL_AFTER && acknowledged.length < TOTAL,
      `${acknowledged.length} acknowledged`,
    );
    assert.ok(acknowledged.filter((a) => a.attachment).length >= 3, 'reports with files were acknowledged');

    const lockFile = path.join(dataDir, 'pgdata', 'openpsirt.pid');
    if (engine === 'pglite') {
      assert.equal(
        fs.readFileSync(lockFile, 'utf8'),
        String(first.child.pid),
        'the killed server left its lock',
      );
    }

    const second = await startServer(env);
    servers.push(second);
    for (const { trackingId, statusToken } of acknowledged) {
      const response = await fetch(`${second.url}/api/v1/reports/status/${statusToken}`);
      assert.equal(response.status, 200, `the status link of ${trackingId} still works`);
      assert.equal(((await response.json()) as { trackingId: string }).trackingId, trackingId);
    }
    const late = await fetch(`${second.url}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'After the restart', description: 'Still taking reports.' }),
    });
    assert.equal(late.status, 201, 'the restarted server takes new reports');
    const lateId = ((await late.json()) as Acknowledged).trackingId;
    assert.ok(!acknowledged.some((a) => a.trackingId === lateId), 'no tracking id is handed out twice');
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0, second.output());
    assert.ok(!fs.existsSync(lockFile), 'a clean stop releases the lock');

    const stored = await openDatabase({ dataDir, databaseUrl: database.url });
    try {
      const ids = new Set(
        (await stored.db.selectFrom('reports').select('tracking_id').execute()).map((r) => r.tracking_id),
      );
      const lost = acknowledged.filter((a) => !ids.has(a.trackingId)).map((a) => a.trackingId);
      assert.deepEqual(lost, [], 'no acknowledged report is lost');
      const files = await stored.db
        .selectFrom('attachments')
        .innerJoin('reports', 'reports.id', 'attachments.report_id')
        .select(['reports.tracking_id', 'attachments.sha256'])
        .execute();
      const blobs = new BlobStore(dataDir);
      for (const { trackingId, attachment } of acknowledged.filter((a) => a.attachment)) {
        assert.ok(
          files.some((f) => f.tracking_id === trackingId && f.sha256 === attachment),
          `${trackingId} has its attachment row`,
        );
        const blob = blobs.pathOf(attachment ?? '');
        assert.ok(fs.existsSync(blob), `the file of ${trackingId} is on disk`);
        assert.equal(sha256Hex(fs.readFileSync(blob)), attachment, `the file of ${trackingId} is complete`);
      }
    } finally {
      await stored.close();
    }
  });
});
