// The `openpsirt` command line: serve, migrate, seed-demo, policy.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { addUserFromCli, listUsersForCli, parseUserAdd, type UserToAdd } from './auth/cli.ts';
import { seedDemoCases } from './cases/demo.ts';
import { ConfigError, flagName, loadConfig, settings } from './config.ts';
import { type DemoAccount, seedDemo } from './demo/seed.ts';
import { simulateCommand } from './fleet/simulator/cli.ts';
import { checkPolicy, loadPolicy, savePolicy } from './intake/policy-settings.ts';
import { BlobStore } from './platform/blob-store.ts';
import { systemClock } from './platform/clock.ts';
import { Conflict, Invalid } from './platform/errors.ts';
import { createLogger, openCore, startProduct } from './server.ts';
import { runTufCli, type TufCliValues, tufOptions, tufUsage } from './updates/tuf/cli.ts';

type Command = {
  summary: string;
  usage: string;
  options?: Record<string, { type: 'boolean' | 'string'; description: string; multiple?: boolean }>;
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<void>;
};

const configOptions = Object.fromEntries(
  settings.map((s) => [flagName(s).slice(2), { type: 'string' as const }]),
);

function configFrom(values: Record<string, string | boolean | undefined>) {
  const flags = Object.fromEntries(
    Object.entries(values).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
  return loadConfig(process.env, flags);
}

const commands: Record<string, Command> = {
  serve: {
    summary: 'Start the server (migrates the database first)',
    usage: 'openpsirt serve [--demo] [configuration flags]',
    options: {
      demo: { type: 'boolean', description: 'Add demo data (a maker with products) before starting' },
    },
    async run(values) {
      const config = configFrom(values);
      let demoAccounts: DemoAccount[] = [];
      if (values.demo) {
        const log = createLogger(config);
        const database = await openCore(config, log);
        const { productsAdded, suppliersAdded, accounts } = await seedDemo(database.db, {
          blobs: new BlobStore(config.dataDir),
        });
        await database.close();
        if (productsAdded + suppliersAdded > 0)
          log.info({ productsAdded, suppliersAdded }, 'demo data added');
        demoAccounts = accounts;
      }
      const product = await startProduct(config, { listen: true });
      if (values.demo) {
        const casesAdded = await seedDemoCases(product.deps);
        if (casesAdded > 0) product.deps.log.info({ casesAdded }, 'demo cases added');
      }
      const base = config.publicUrl;
      process.stdout.write(
        [
          '',
          `OpenPSIRT is running (${product.database.engine === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'}).`,
          `  Security site:   ${base}/`,
          `  Report form:     ${base}/report`,
          `  Policy:          ${base}/policy`,
          `  security.txt:    ${base}/.well-known/security.txt`,
          `  Staff console:   ${base}/console/`,
          `  API document:    ${base}/api/openapi.json`,
          config.smtpUrl ? '' : `  Outgoing mail:   written to ${config.dataDir}/mail (set SMTP_URL to send)`,
          ...demoAccountLines(demoAccounts),
          'Press Ctrl+C to stop.',
          '',
        ].join('\n'),
      );
      const stop = async (signal: string) => {
        product.deps.log.info({ signal }, 'stopping');
        await product.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    },
  },
  migrate: {
    summary: 'Bring the database schema up to date and exit',
    usage: 'openpsirt migrate [configuration flags]',
    async run(values) {
      const config = configFrom(values);
      const database = await openCore(config, createLogger(config));
      await database.close();
      process.stdout.write(`Database is up to date (${database.engine}).\n`);
    },
  },
  'seed-demo': {
    summary: 'Add demo data: a maker with connected products (safe to run twice)',
    usage: 'openpsirt seed-demo [configuration flags]',
    async run(values) {
      const config = configFrom(values);
      const database = await openCore(config, createLogger(config));
      const result = await seedDemo(database.db, { blobs: new BlobStore(config.dataDir) });
      await database.close();
      process.stdout.write(
        [
          `Demo data ready: ${result.productsAdded} products and ${result.suppliersAdded} suppliers added.`,
          ...demoAccountLines(result.accounts),
          '',
        ].join('\n'),
      );
    },
  },
  user: {
    summary: 'Add an account (the first admin, for example), or list the accounts',
    usage:
      'openpsirt user add --role admin|analyst|supplier|auditor --email EMAIL --name NAME [--supplier ID] | openpsirt user list',
    options: {
      role: { type: 'string', description: 'admin, analyst, supplier or auditor' },
      email: { type: 'string', description: 'Email address to sign in with' },
      name: { type: 'string', description: 'Name shown in the console and the audit log' },
      supplier: { type: 'string', description: 'Id of the supplier (supplier role only)' },
    },
    async run(values, positionals) {
      const action = positionals[0];
      if (action !== 'add' && action !== 'list') throw new UsageError('user needs "add" or "list"');
      const asUsageError = (error: unknown): never => {
        if (error instanceof Invalid) {
          const reasons = Object.entries(error.fields).map(([f, m]) => `  ${f} ${m}`);
          throw new UsageError(`${error.message}:\n${reasons.join('\n')}`);
        }
        if (error instanceof Conflict) throw new UsageError(error.message);
        throw error;
      };
      let input: UserToAdd | undefined;
      if (action === 'add') {
        try {
          input = parseUserAdd(values, process.env);
        } catch (error) {
          asUsageError(error);
        }
      }
      const config = configFrom(values);
      const database = await openCore(config, createLogger(config));
      try {
        if (!input) {
          process.stdout.write(await listUsersForCli(database.db));
          return;
        }
        const output = await addUserFromCli({ db: database.db, clock: systemClock }, input).catch(
          asUsageError,
        );
        process.stdout.write(output);
      } finally {
        await database.close();
      }
    },
  },
  policy: {
    summary: 'Show the disclosure policy settings, or change them from a JSON file',
    usage: 'openpsirt policy show | openpsirt policy set --file policy.json',
    options: { file: { type: 'string', description: 'JSON object with the settings to change' } },
    async run(values, positionals) {
      const action = positionals[0];
      if (action !== 'show' && action !== 'set') throw new UsageError('policy needs "show" or "set"');
      const config = configFrom(values);
      const database = await openCore(config, createLogger(config));
      try {
        if (action === 'show') {
          process.stdout.write(`${JSON.stringify(await loadPolicy(database.db), null, 2)}\n`);
          return;
        }
        if (typeof values.file !== 'string') throw new UsageError('policy set needs --file FILE');
        const edit = readJsonFile(values.file);
        if (typeof edit !== 'object' || edit === null || Array.isArray(edit))
          throw new UsageError(`${values.file} must hold a JSON object of the settings to change`);
        const changes = checkPolicy(edit as Record<string, unknown>);
        const saved = await savePolicy(database.db, changes, new Date());
        process.stdout.write(`Policy saved:\n${JSON.stringify(saved, null, 2)}\n`);
      } finally {
        await database.close();
      }
    },
  },
  tuf: {
    summary:
      'Image repository keys and signing ceremonies (keygen, init-root, sign-targets, rotate-root, rotate-online, refresh-online, export)',
    usage: tufUsage,
    options: tufOptions,
    async run(values, positionals) {
      const output = await runTufCli(positionals[0], values as TufCliValues, async () => {
        const config = configFrom(values);
        const log = createLogger(config);
        return { config, log, database: await openCore(config, log) };
      });
      process.stdout.write(output);
    },
  },
  simulate: simulateCommand((message) => new UsageError(message)),
};

class UsageError extends Error {}

/** Demo sign-ins, printed so that someone trying the product can get in. */
const demoAccountLines = (accounts: DemoAccount[]) =>
  accounts.length === 0
    ? []
    : [
        '  Demo accounts (for trying out only):',
        ...accounts.map((a) => `    ${a.role.padEnd(9)} ${a.email}  password: ${a.password}`),
      ];

/** A JSON file named on the command line; a missing file or bad JSON is the user's to fix, not a crash. */
function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function helpText(name?: string): string {
  const command = name ? commands[name] : undefined;
  const lines: string[] = [];
  if (command) {
    lines.push(`Usage: ${command.usage}`, '', command.summary, '');
    for (const [option, spec] of Object.entries(command.options ?? {})) {
      lines.push(`  --${option.padEnd(28)} ${spec.description}`);
    }
  } else {
    lines.push('Usage: openpsirt <command> [options]', '', 'Commands:');
    for (const [commandName, spec] of Object.entries(commands))
      lines.push(`  ${commandName.padEnd(12)} ${spec.summary}`);
    lines.push('', 'Run "openpsirt <command> --help" for the options of a command.');
  }
  lines.push('', 'Configuration (environment variable, or the flag beside it):');
  for (const setting of settings) {
    lines.push(`  ${setting.env.padEnd(28)} ${flagName(setting).padEnd(30)} ${setting.description}`);
  }
  return `${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(helpText());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${helpText()}`);
    return 2;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      ...configOptions,
      ...(command.options ?? {}),
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(helpText(name));
    return 0;
  }
  await command.run(values as Record<string, string | boolean | undefined>, positionals);
  return name === 'serve' ? -1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
    } else if (error instanceof Invalid) {
      process.stderr.write(
        `${error.message}:\n${Object.entries(error.fields)
          .map(([f, m]) => `  ${f} ${m}`)
          .join('\n')}\n`,
      );
    } else if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(error as Error).message}\nRun "openpsirt --help" for usage.\n`);
    } else {
      // The message says what went wrong; the stack is for developers, at LOG_LEVEL=debug.
      const verbose = ['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '');
      const detail = verbose ? ((error as Error).stack ?? String(error)) : (error as Error).message;
      process.stderr.write(`openpsirt: ${detail}\n`);
    }
    const usageError =
      error instanceof ConfigError ||
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true;
    process.exit(usageError ? 2 : 1);
  },
);
