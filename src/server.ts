// Starts the product from a configuration: database and migrations, keys, storage, mail, workers, HTTP.
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { buildApp } from './app.ts';
import { CASE_CLOCKS_SCAN, caseClockScanJob, scheduleClockScan } from './cases/clock-reminders.ts';
import { CASE_NEXT_DUE_REFRESH, nextDueRefreshJob } from './cases/inbox/next-due-refresh.ts';
import type { Config } from './config.ts';
import { type Database, openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Deps } from './deps.ts';
import { resolvePgpPassphrase } from './keys/pgp-passphrase.ts';
import { loadServerPgpKey } from './keys/server-pgp-key.ts';
import { MAIL_SEND, sendMailJob } from './mail/jobs.ts';
import { createMailer, type Mailer } from './mail/mailer.ts';
import { BlobStore } from './platform/blob-store.ts';
import { type Clock, type Random, secureRandom, systemClock } from './platform/clock.ts';
import { type WorkerOptions, Workers } from './queue/workers.ts';
import { openArtifactStorage } from './updates/artifacts/choose-storage.ts';
import { ROLLOUT_ADVANCE, rolloutAdvanceJob, scheduleRolloutChecks } from './updates/rollouts/jobs.ts';
import { mqttPublisher, ROLLOUT_PUSH, rolloutPushJob } from './updates/rollouts/push.ts';
import {
  onlineRefreshJob,
  onlineTargetsJob,
  scheduleOnlineRefresh,
  TUF_ONLINE_REFRESH,
  TUF_SIGN_TARGETS,
} from './updates/tuf/jobs.ts';
import { deliverWebhookJob } from './webhooks/delivery.ts';
import { WEBHOOK_DELIVER } from './webhooks/events.ts';

export type Product = {
  app: FastifyInstance;
  deps: Deps;
  workers: Workers;
  database: Database;
  /** Base URL the server listens on, when started with `listen`. */
  url: string | undefined;
  close(): Promise<void>;
};

/** Capability tokens in status links must never reach the logs. */
export const redactTokens = (url: string) => url.replace(/\/status\/[^/?#]+/g, '/status/[redacted]');

export function createLogger(config: Config): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'openpsirt' },
    serializers: {
      req: (req: { method: string; url: string; ip?: string }) => ({
        method: req.method,
        url: redactTokens(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: pino.stdSerializers.err,
    },
  });
}

export async function openCore(config: Config, log: Logger): Promise<Database> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onConnectionLost: (error) =>
      log.warn({ err: error }, 'an idle database connection was closed; it will be replaced'),
  });
  try {
    await migrateToLatest(database.db as never);
  } catch (error) {
    await database.close();
    throw error;
  }
  log.debug({ engine: database.engine }, 'database ready');
  return database;
}

export async function startProduct(
  config: Config,
  options: {
    listen?: boolean;
    clock?: Clock;
    random?: Random;
    log?: Logger;
    workerOptions?: Partial<WorkerOptions>;
  } = {},
): Promise<Product> {
  const log = options.log ?? createLogger(config);
  const clock = options.clock ?? systemClock;
  const database = await openCore(config, log);
  let mailer: Mailer | undefined;
  try {
    const pgp = await loadServerPgpKey(database.db, {
      passphrase: resolvePgpPassphrase(config.pgpPassphrase, config.dataDir, log),
      userId: { name: `${config.orgName} security team`, email: config.securityEmail },
    });
    mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir, log });
    const workers = new Workers({ db: database.db, clock, log }, options.workerOptions);
    workers.register(MAIL_SEND, sendMailJob(mailer));
    workers.register(WEBHOOK_DELIVER, deliverWebhookJob({ db: database.db, clock }));
    const deps: Deps = {
      db: database.db,
      config,
      clock,
      random: options.random ?? secureRandom,
      log,
      blobs: new BlobStore(config.dataDir),
      artifacts: await openArtifactStorage(config),
      pgp,
      wakeWorkers: () => workers.wake(),
    };
    workers.register(CASE_CLOCKS_SCAN, caseClockScanJob(deps));
    workers.register(CASE_NEXT_DUE_REFRESH, nextDueRefreshJob(deps));
    workers.register(TUF_ONLINE_REFRESH, onlineRefreshJob(deps));
    workers.register(TUF_SIGN_TARGETS, onlineTargetsJob(deps));
    workers.register(ROLLOUT_ADVANCE, rolloutAdvanceJob(deps));
    const publisher = config.mqttUrl ? mqttPublisher(config.mqttUrl, log) : undefined;
    if (publisher) workers.register(ROLLOUT_PUSH, rolloutPushJob(deps, publisher));
    const app = await buildApp(deps);
    let url: string | undefined;
    if (options.listen) url = await app.listen({ host: config.host, port: config.port });
    else await app.ready();
    if (config.workers) {
      // The process that runs workers keeps the reminder scan going (one scan per slot, whoever queues it).
      await scheduleClockScan(database.db, clock());
      await scheduleOnlineRefresh(database.db, clock());
      await scheduleRolloutChecks(database.db, clock());
      workers.start();
    }
    const openMailer = mailer;
    return {
      app,
      deps,
      workers,
      database,
      url,
      async close() {
        await app.close();
        await workers.stop();
        await publisher?.close();
        openMailer.close();
        await database.close();
      },
    };
  } catch (error) {
    mailer?.close();
    await database.close();
    throw error;
  }
}
