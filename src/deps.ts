// What domain code is given: the database, configuration, time, randomness and shared services.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { DB } from './db/schema.ts';
import type { ServerPgpKey } from './keys/server-pgp-key.ts';
import type { BlobStore } from './platform/blob-store.ts';
import type { Clock, Random } from './platform/clock.ts';
import type { ArtifactStorage } from './updates/artifacts/artifact-storage.ts';

export type Deps = {
  db: Kysely<DB>;
  config: Config;
  clock: Clock;
  random: Random;
  log: Logger;
  blobs: BlobStore;
  /** Firmware files, by SHA-256. */
  artifacts: ArtifactStorage;
  pgp: ServerPgpKey;
  /** Tells in-process workers that a commit just queued jobs. */
  wakeWorkers: () => void;
};
