// What check-ins need to know about a device, kept in process for a short time so that a repeated
// poll costs no query: the credential to check, and what the director decides on. Unknown ids are
// remembered too, so that a flood of made-up ids does not become a flood of queries. Misses arriving
// together are read with one statement (a fleet polling every hour rarely hits the cache).
import type { Db } from '../../db/database.ts';
import type { DeviceCredentialKind } from '../../db/schema.ts';
import { type DeviceRow, devicesByIds } from '../../fleet/devices/store.ts';
import type { Clock } from '../../platform/clock.ts';

export type CachedDevice = {
  id: string;
  serial: string;
  modelId: string;
  hardwareRevision: string;
  credentialKind: DeviceCredentialKind;
  /** ed25519: the public key (hex); secret: the SHA-256 of the secret (hex). */
  credential: string;
  installedVersion: string | null;
  tags: string[];
  region: string | null;
};

export const deviceCacheTtlMs = 30_000;
const maxEntries = 200_000;

export type DeviceCache = {
  get(id: string): Promise<CachedDevice | undefined>;
  /** Keeps the cached version in step with what the device just reported. */
  noteVersion(id: string, version: string): void;
  clear(): void;
  /** Statements that read devices so far (for tests and diagnostics). */
  readonly statements: number;
};

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const fromRow = (row: DeviceRow): CachedDevice => ({
  id: row.id,
  serial: row.serial,
  modelId: row.model_id,
  hardwareRevision: row.hardware_revision,
  credentialKind: row.credential_kind,
  credential: row.credential,
  installedVersion: row.installed_version,
  tags: row.tags,
  region: row.region,
});

/** Most lookups a single statement answers; a fleet's polls arrive hundreds at a time. */
const maxBatch = 500;

export function deviceCache(db: Db, clock: Clock): DeviceCache {
  const entries = new Map<string, { device: CachedDevice | undefined; until: number }>();
  // Misses wait for the end of the current turn of the event loop and are read with one statement:
  // with many devices checking in at once, one query serves a whole batch of them.
  let waiting = new Map<string, PromiseWithResolvers<CachedDevice | undefined>>();

  let statements = 0;

  async function loadBatch(batch: Map<string, PromiseWithResolvers<CachedDevice | undefined>>) {
    const ids = [...batch.keys()];
    statements++;
    try {
      const rows = await devicesByIds(db, ids);
      const found = new Map(rows.map((row) => [row.id, fromRow(row)]));
      for (const [id, waiter] of batch) waiter.resolve(found.get(id));
    } catch (error) {
      for (const waiter of batch.values()) waiter.reject(error);
    }
  }

  function load(id: string): Promise<CachedDevice | undefined> {
    const already = waiting.get(id);
    if (already) return already.promise;
    if (waiting.size === 0) {
      setImmediate(() => {
        const all = waiting;
        waiting = new Map();
        let batch = new Map<string, PromiseWithResolvers<CachedDevice | undefined>>();
        for (const [key, waiter] of all) {
          batch.set(key, waiter);
          if (batch.size === maxBatch) {
            void loadBatch(batch);
            batch = new Map();
          }
        }
        if (batch.size > 0) void loadBatch(batch);
      });
    }
    const waiter = Promise.withResolvers<CachedDevice | undefined>();
    waiting.set(id, waiter);
    return waiter.promise;
  }

  return {
    async get(id) {
      const lowered = id.toLowerCase();
      if (!uuid.test(lowered)) return undefined;
      const now = clock().getTime();
      const hit = entries.get(lowered);
      if (hit && hit.until > now) return hit.device;
      const device = await load(lowered);
      // Oldest first in a Map: dropping the first entries keeps memory bounded.
      if (entries.size >= maxEntries) {
        for (const key of entries.keys()) {
          entries.delete(key);
          if (entries.size < maxEntries * 0.9) break;
        }
      }
      entries.delete(lowered);
      entries.set(lowered, { device, until: now + deviceCacheTtlMs });
      return device;
    },
    noteVersion(id, version) {
      const hit = entries.get(id);
      if (hit?.device) hit.device.installedVersion = version;
    },
    clear() {
      entries.clear();
    },
    get statements() {
      return statements;
    },
  };
}
