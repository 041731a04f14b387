// Runs the versioned migrations; each migration is frozen once released and never imports app code.
import type { Kysely } from 'kysely';
import { type Migration, type MigrationResultSet, Migrator } from 'kysely/migration';
import * as foundation from './migrations/20261125-0001-foundation.ts';
import * as intakeThroughput from './migrations/20261125-0002-intake-throughput.ts';
import * as accounts from './migrations/20261125-0010-accounts.ts';
import * as inventory from './migrations/20261125-0020-inventory.ts';
import * as suppliers from './migrations/20261125-0030-suppliers.ts';
import * as cases from './migrations/20261125-0040-cases.ts';
import * as caseClocks from './migrations/20261125-0045-case-clocks.ts';
import * as webhooks from './migrations/20261125-0050-webhooks.ts';
import * as caseSearch from './migrations/20261130-0060-case-search.ts';
import * as caseThreads from './migrations/20261130-0070-case-threads.ts';
import * as reporterThread from './migrations/20261130-0075-reporter-thread.ts';
import * as nextDueBackfill from './migrations/20261130-0085-next-due-backfill.ts';
import * as inboxIndexes from './migrations/20261130-0086-inbox-indexes.ts';
import * as oneResponsePolicy from './migrations/20261130-0090-one-response-policy.ts';
import * as firmwareArtifacts from './migrations/20261130-0100-firmware-artifacts.ts';
import * as releasesAndTuf from './migrations/20261130-0110-releases-and-tuf.ts';
import * as devices from './migrations/20261130-0120-devices.ts';
import * as rollouts from './migrations/20261130-0130-rollouts.ts';

export const migrations: Record<string, Migration> = {
  '20261125-0001-foundation': foundation,
  '20261125-0002-intake-throughput': intakeThroughput,
  '20261125-0010-accounts': accounts,
  '20261125-0020-inventory': inventory,
  '20261125-0030-suppliers': suppliers,
  '20261125-0040-cases': cases,
  '20261125-0045-case-clocks': caseClocks,
  '20261125-0050-webhooks': webhooks,
  '20261130-0060-case-search': caseSearch,
  '20261130-0070-case-threads': caseThreads,
  '20261130-0075-reporter-thread': reporterThread,
  '20261130-0085-next-due-backfill': nextDueBackfill,
  '20261130-0086-inbox-indexes': inboxIndexes,
  '20261130-0090-one-response-policy': oneResponsePolicy,
  '20261130-0100-firmware-artifacts': firmwareArtifacts,
  '20261130-0110-releases-and-tuf': releasesAndTuf,
  '20261130-0120-devices': devices,
  '20261130-0130-rollouts': rollouts,
};

/**
 * Applies every migration not yet applied. Features grow in parallel, so a migration may arrive
 * whose name sorts before one a database already has; it is applied all the same (migrations of
 * different features do not depend on each other's order).
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  available: Record<string, Migration> = migrations,
): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => available },
    allowUnorderedMigrations: true,
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${String(result.error)}`, {
      cause: result.error,
    });
  }
  return result;
}
