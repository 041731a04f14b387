import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { listAudit } from '../../src/platform/audit.ts';
import { signIn } from '../support/auth.ts';
import { type CliRun, runCli } from '../support/cli.ts';
import { engine, freshDatabase, startTestProduct, tempDir } from '../support/product.ts';

describe(`openpsirt user (${engine})`, () => {
  let dataDir: string;
  let database: Awaited<ReturnType<typeof freshDatabase>>;

  before(async () => {
    dataDir = tempDir();
    database = await freshDatabase();
  });
  after(async () => {
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const cli = (args: string[], env: Record<string, string> = {}): Promise<CliRun> =>
    runCli(['user', ...args], {
      DATA_DIR: dataDir,
      PGP_PASSPHRASE: 'test passphrase, not secret',
      ...(database.url ? { DATABASE_URL: database.url } : {}),
      ...env,
    });

  it('explains itself with --help', async () => {
    const run = await cli(['--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /openpsirt user add --role admin\|analyst\|supplier\|auditor --email EMAIL/);
  });

  it('refuses bad input with exit code 2 and says which option is wrong', async () => {
    const noRole = await cli(['add', '--role', 'boss', '--email', 'x@example.com']);
    assert.equal(noRole.code, 2);
    assert.match(noRole.stderr, /--role must be one of admin, analyst, supplier, auditor/);
    assert.match(noRole.stderr, /--name is required/);
    assert.ok(!noRole.stderr.includes('    at '), 'no stack trace');
    const supplier = await cli(['add', '--role', 'supplier', '--email', 's@example.com', '--name', 'S']);
    assert.equal(supplier.code, 2);
    assert.match(supplier.stderr, /--supplier is required for the supplier role/);
    const shortPassword = await cli(['add', '--role', 'admin', '--email', 'a@example.com', '--name', 'A'], {
      OPENPSIRT_PASSWORD: 'short',
    });
    assert.equal(shortPassword.code, 2);
    assert.match(shortPassword.stderr, /OPENPSIRT_PASSWORD must be at least 12 characters/);
    const unknownAction = await cli(['remove']);
    assert.equal(unknownAction.code, 2);
  });

  it('adds the first admin with a generated password shown once, refuses the same email twice, and lists users', async () => {
    const run = await cli(['add', '--role', 'admin', '--email', 'Root@Example.com', '--name', 'First Admin']);
    assert.equal(run.code, 0, run.stderr);
    const password = /Password \(shown only now\): (\S+)/.exec(run.stdout)?.[1];
    assert.ok(password && password.length >= 20, run.stdout);
    const again = await cli(['add', '--role', 'analyst', '--email', 'root@example.com', '--name', 'Twin']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already an account for root@example.com/);
    const withPassword = await cli(
      ['add', '--role', 'auditor', '--email', 'aud@example.com', '--name', 'Aud'],
      {
        OPENPSIRT_PASSWORD: 'auditor password from env',
      },
    );
    assert.equal(withPassword.code, 0, withPassword.stderr);
    assert.doesNotMatch(withPassword.stdout, /Password/);
    const list = await cli(['list']);
    assert.equal(list.code, 0);
    assert.match(list.stdout, /root@example.com\s+admin\s+enabled/);
    assert.match(list.stdout, /aud@example.com\s+auditor\s+enabled/);

    // The accounts work, and their creation is in the audit log with actor "cli".
    const product = await startTestProduct({
      dataDir,
      demo: false,
      ...(database.url ? { databaseUrl: database.url } : {}),
    });
    try {
      const admin = await signIn(product, { email: 'root@example.com', password });
      assert.equal(admin.user.role, 'admin');
      await signIn(product, { email: 'aud@example.com', password: 'auditor password from env' });
      const created = (await listAudit(product.deps.db, { limit: 50 })).filter(
        (e) => e.action === 'USER_CREATED',
      );
      assert.equal(created.length, 2);
      assert.ok(created.every((e) => e.actor === 'cli'));
    } finally {
      await product.close();
    }
  });
});
