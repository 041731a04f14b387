// Every query of the device registry, typed with Kysely; returns plain rows.
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { DeviceCredentialKind } from '../../db/schema.ts';
import { modelInScope, type SupplierScope } from '../../inventory/store.ts';
import type { Page } from '../../platform/paging.ts';

export type DeviceRow = {
  id: string;
  serial: string;
  model_id: string;
  hardware_revision: string;
  credential_kind: DeviceCredentialKind;
  credential: string;
  installed_version: string | null;
  tags: string[];
  region: string | null;
  last_seen_at: Date | null;
  created_at: Date;
};

export type NewDevice = {
  serial: string;
  modelId: string;
  hardwareRevision: string;
  credentialKind: DeviceCredentialKind;
  credential: string;
  installedVersion: string | null;
  tags: string[];
  region: string | null;
};

const columns = [
  'id',
  'serial',
  'model_id',
  'hardware_revision',
  'credential_kind',
  'credential',
  'installed_version',
  'tags',
  'region',
  'last_seen_at',
  'created_at',
] as const;

/** Devices per INSERT. Each statement sends one array per column, so its size never nears the
 * bind-parameter limit and the server parses one short statement per batch. */
const insertBatch = 10_000;

/** Inserts in batches; returns the new ids in input order. Tags never hold spaces (see tagPattern). */
export async function insertDevices(db: Db, devices: NewDevice[], createdBy: string): Promise<string[]> {
  const inserted: string[] = [];
  for (let start = 0; start < devices.length; start += insertBatch) {
    const batch = devices.slice(start, start + insertBatch);
    const column = <T>(pick: (device: NewDevice) => T) => batch.map(pick);
    const result = await sql<{ id: string }>`
      insert into devices (serial, model_id, hardware_revision, credential_kind, credential,
                           installed_version, tags, region, created_by)
      select serial, model_id, hardware_revision, credential_kind, credential, installed_version,
             string_to_array(tags, ' '), region, ${createdBy}
      from unnest(${column((d) => d.serial)}::text[], ${column((d) => d.modelId)}::uuid[],
                  ${column((d) => d.hardwareRevision)}::text[], ${column((d) => d.credentialKind)}::text[],
                  ${column((d) => d.credential)}::text[], ${column((d) => d.installedVersion)}::text[],
                  ${column((d) => d.tags.join(' '))}::text[], ${column((d) => d.region)}::text[])
        with ordinality as input (serial, model_id, hardware_revision, credential_kind, credential,
                                  installed_version, tags, region, position)
      order by position
      returning id`.execute(db);
    inserted.push(...result.rows.map((row) => row.id));
  }
  return inserted;
}

/** The serials among `serials` that are registered already. */
export async function existingSerials(db: Db, serials: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let start = 0; start < serials.length; start += 10_000) {
    const rows = await db
      .selectFrom('devices')
      .select('serial')
      .where('serial', '=', sql<string>`any(${serials.slice(start, start + 10_000)}::text[])`)
      .execute();
    for (const row of rows) found.add(row.serial);
  }
  return found;
}

export async function findDevice(db: Db, id: string, scope: SupplierScope): Promise<DeviceRow | undefined> {
  return db
    .selectFrom('devices')
    .select(columns)
    .where('id', '=', id)
    .where(modelInScope('devices.model_id', scope))
    .executeTakeFirst();
}

export type DeviceFilter = { modelId?: string; version?: string; tag?: string };

export async function listDevices(
  db: Db,
  filter: DeviceFilter,
  scope: SupplierScope,
  page: Page,
): Promise<{ rows: DeviceRow[]; total: number }> {
  let query = db.selectFrom('devices').where(modelInScope('devices.model_id', scope));
  if (filter.modelId) query = query.where('model_id', '=', filter.modelId);
  if (filter.version) query = query.where('installed_version', '=', filter.version);
  if (filter.tag) query = query.where(sql<boolean>`tags @> array[${filter.tag}]::text[]`);
  const rows = await query.select(columns).orderBy('serial').limit(page.limit).offset(page.offset).execute();
  const total = await query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}

export type ModelForDevices = { id: string; hardwareRevisions: string[]; path: string };

/** Models by id and by "product-slug/model-slug", so that an import may name either. */
export async function modelsForDevices(db: Db, scope: SupplierScope): Promise<ModelForDevices[]> {
  const rows = await db
    .selectFrom('models as m')
    .innerJoin('products as p', 'p.id', 'm.product_id')
    .select(['m.id', 'm.hardware_revisions', 'p.slug as product_slug', 'm.slug'])
    .where(modelInScope('m.id', scope))
    .execute();
  return rows.map((row) => ({
    id: row.id,
    hardwareRevisions: row.hardware_revisions,
    path: `${row.product_slug}/${row.slug}`,
  }));
}

/** The devices among `ids` (lowercase UUIDs), in any order; one statement text for any count. */
export async function devicesByIds(db: Db, ids: string[]): Promise<DeviceRow[]> {
  const { rows } = await sql<DeviceRow>`
    select ${sql.join(columns.map((column) => sql.ref(column)))}
    from devices where id = any(${ids}::uuid[])`.execute(db);
  return rows;
}

/** Last check-in time and reported version of many devices at once; never older over newer. */
export async function recordLastSeen(
  db: Db,
  seen: { id: string; at: Date; version: string }[],
): Promise<void> {
  await sql`
    update devices set last_seen_at = seen.at, installed_version = seen.version
    from unnest(${seen.map((s) => s.id)}::uuid[], ${seen.map((s) => s.at.toISOString())}::timestamptz[],
                ${seen.map((s) => s.version)}::text[]) as seen (id, at, version)
    where devices.id = seen.id
      -- A batch put back after a failed write must not undo a newer one written since.
      and (devices.last_seen_at is null or devices.last_seen_at <= seen.at)`.execute(db);
}
