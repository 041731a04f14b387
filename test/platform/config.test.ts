import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig, settings } from '../../src/config.ts';
import { type CliRun, runCli } from '../support/cli.ts';
import { tempDir } from '../support/product.ts';

describe('configuration', () => {
  it('has defaults that start a laptop install with no settings at all', () => {
    const config = loadConfig({});
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 8080);
    assert.equal(config.dataDir, path.resolve('data'));
    assert.ok(path.isAbsolute(config.dataDir));
    assert.equal(config.publicUrl, 'http://127.0.0.1:8080');
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.smtpUrl, undefined);
    assert.equal(config.logLevel, 'info');
    assert.equal(config.securityEmail, 'security@example.com');
    assert.equal(config.mailFrom, config.securityEmail);
    assert.equal(config.securityTxtSigned, true);
    assert.equal(config.securityTxtExpiresDays, 180);
    assert.equal(config.preferredLanguages, 'en');
    assert.equal(config.trustProxy, false);
    assert.equal(config.workers, true);
  });

  it('derives the public URL from host and port, and trims a trailing slash from a given one', () => {
    assert.equal(loadConfig({ HOST: '0.0.0.0', PORT: '9000' }).publicUrl, 'http://127.0.0.1:9000');
    assert.equal(loadConfig({ HOST: 'psirt.lan', PORT: '80' }).publicUrl, 'http://psirt.lan:80');
    assert.equal(
      loadConfig({ PUBLIC_URL: 'https://security.example.com/' }).publicUrl,
      'https://security.example.com',
    );
  });

  it('resolves DATA_DIR against the working directory and reads typed values', () => {
    const config = loadConfig({
      DATA_DIR: 'var/openpsirt',
      SECURITY_TXT_SIGNED: 'no',
      TRUST_PROXY: 'ON',
      LOG_LEVEL: 'Debug',
      PREFERRED_LANGUAGES: 'en,de , fr-CA',
      SECURITY_EMAIL: 'psirt@devices.example',
    });
    assert.equal(config.dataDir, path.resolve('var/openpsirt'));
    assert.equal(config.securityTxtSigned, false);
    assert.equal(config.trustProxy, true);
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.preferredLanguages, 'en, de, fr-CA');
    assert.equal(config.mailFrom, 'psirt@devices.example', 'MAIL_FROM follows SECURITY_EMAIL');
  });

  it('lets a flag win over the environment variable', () => {
    const config = loadConfig(
      { PORT: '1111', HOST: '10.0.0.1', SECURITY_EMAIL: 'env@example.com' },
      { port: '2222', 'security-email': 'flag@example.com' },
    );
    assert.equal(config.port, 2222);
    assert.equal(config.securityEmail, 'flag@example.com');
    assert.equal(config.host, '10.0.0.1', 'settings without a flag still come from the environment');
    assert.equal(config.publicUrl, 'http://10.0.0.1:2222');
  });

  it('names the flag, not the variable, when a bad value came from a flag', () => {
    assert.throws(
      () => loadConfig({ PORT: '8080' }, { port: 'abc' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.problems, ['--port="abc": must be a whole number from 0 to 65535']);
        return true;
      },
    );
  });

  it('reports every bad value at once in one ConfigError naming each variable', () => {
    assert.throws(
      () =>
        loadConfig({
          PORT: 'abc',
          DATABASE_URL: 'mysql://x',
          SMTP_URL: 'http://x',
          LOG_LEVEL: 'loud',
          SECURITY_EMAIL: 'nope',
          HOST: 'localhost',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.problems.length, 5, error.message);
        const expected: [string, RegExp][] = [
          ['PORT', /whole number/],
          ['DATABASE_URL', /postgres:.*not mysql:/],
          ['SMTP_URL', /smtp:.*not http:/],
          ['LOG_LEVEL', /one of fatal, error/],
          ['SECURITY_EMAIL', /email address/],
        ];
        for (const [name, reason] of expected) {
          const problem = error.problems.find((p) => p.startsWith(`${name}=`));
          assert.ok(problem, `${name} is reported: ${error.message}`);
          assert.match(problem, reason);
          assert.ok(error.message.includes(problem), 'the message lists every problem');
        }
        return true;
      },
    );
  });

  it('refuses out-of-range numbers, bad booleans and a short passphrase', () => {
    assert.throws(
      () =>
        loadConfig({
          PORT: '70000',
          SECURITY_TXT_EXPIRES_DAYS: '0',
          WORKERS: 'maybe',
          PGP_PASSPHRASE: 'short',
          PUBLIC_URL: 'not a url',
          PREFERRED_LANGUAGES: 'en; de',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(
          error.problems.map((p) => p.split('=')[0]),
          [
            'PORT',
            'PUBLIC_URL',
            'PGP_PASSPHRASE',
            'SECURITY_TXT_EXPIRES_DAYS',
            'PREFERRED_LANGUAGES',
            'WORKERS',
          ],
        );
        return true;
      },
    );
  });

  it('describes every setting', () => {
    for (const setting of settings) assert.ok(setting.description.length > 10, setting.env);
  });
});

describe('openpsirt command line', () => {
  let dataDir: string;
  before(() => {
    dataDir = tempDir();
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  const cli = (...args: string[]): Promise<CliRun> => runCli(args, { DATA_DIR: dataDir });

  it('refuses "serve --port abc" with exit code 2 and says what is wrong', async () => {
    const run = await cli('serve', '--port', 'abc');
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /Invalid configuration:\n {2}- --port="abc": must be a whole number from 0 to 65535/,
    );
    assert.ok(!run.stderr.includes('    at '), 'no stack trace');
    assert.deepEqual(fs.readdirSync(dataDir), [], 'nothing was started');
  });

  it('prints the usage with --help and exits 0', async () => {
    const run = await cli('--help');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Usage: openpsirt <command> \[options\]/);
    for (const command of ['serve', 'migrate', 'seed-demo', 'policy']) {
      assert.match(run.stdout, new RegExp(`^ {2}${command} `, 'm'));
    }
    for (const setting of settings) assert.ok(run.stdout.includes(setting.env), `lists ${setting.env}`);
  });

  for (const [command, usage] of [
    ['serve', 'openpsirt serve [--demo] [configuration flags]'],
    ['migrate', 'openpsirt migrate [configuration flags]'],
    ['seed-demo', 'openpsirt seed-demo [configuration flags]'],
  ] as const) {
    it(`prints the usage of "${command} --help" and exits 0 without doing anything`, async () => {
      const run = await cli(command, '--help');
      assert.equal(run.code, 0, run.stderr);
      assert.ok(run.stdout.startsWith(`Usage: ${usage}\n`), run.stdout.slice(0, 200));
      assert.match(run.stdout, /--database-url/);
      assert.deepEqual(fs.readdirSync(dataDir), [], 'no database was opened');
    });
  }

  it('refuses an unknown command with exit code 2 and the usage', async () => {
    const run = await cli('deploy-everything');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^Unknown command "deploy-everything"\./);
    assert.match(run.stderr, /Usage: openpsirt <command>/);
  });

  it('refuses an unknown option with exit code 2, like any other usage error', async () => {
    const run = await cli('migrate', '--colour', 'red');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Unknown option '--colour'/);
    assert.match(run.stderr, /openpsirt --help/);
  });
});
