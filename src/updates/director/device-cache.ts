// What check-ins need to know about a device, kept in process for a short time so that a poll
// costs no query: the credential to check, and what the director decides on. Unknown ids are
// remembered too, so that a flood of made-up ids does not become a flood of queries.
import type { Db } from '../../db/database.ts';
import type { DeviceCredentialKind } from '../../db/schema.ts';
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
};

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function deviceCache(db: Db, clock: Clock): DeviceCache {
  const entries = new Map<string, { device: CachedDevice | undefined; until: number }>();

  async function load(id: string): Promise<CachedDevice | undefined> {
    const row = await db
      .selectFrom('devices')
      .select([
        'id',
        'serial',
        'model_id',
        'hardware_revision',
        'credential_kind',
        'credential',
        'installed_version',
        'tags',
        'region',
      ])
      .where('id', '=', id)
      .executeTakeFirst();
    return (
      row && {
        id: row.id,
        serial: row.serial,
        modelId: row.model_id,
        hardwareRevision: row.hardware_revision,
        credentialKind: row.credential_kind,
        credential: row.credential,
        installedVersion: row.installed_version,
        tags: row.tags,
        region: row.region,
      }
    );
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
  };
}
