// Every query on products, models, firmware versions and supplier links. Reads take a supplier scope:
// `null` sees everything, a supplier id sees only models linked to that supplier (and their
// products and firmware); an object outside the scope is simply not found.
import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { SbomFormat, SupplierRelation } from '../db/schema.ts';
import type { Page } from '../platform/paging.ts';

/** A supplier id limits reads to that supplier's models; null reads everything. */
export type SupplierScope = string | null;

export type ProductRow = {
  id: string;
  slug: string;
  name: string;
  description: string;
  model_count: number;
  created_at: Date;
  updated_at: Date;
};

export type SupplierLink = { id: string; slug: string; name: string; relation: SupplierRelation };

export type ModelRow = {
  id: string;
  product_id: string;
  product_slug: string;
  product_name: string;
  slug: string;
  name: string;
  hardware_revisions: string[];
  remote_update: boolean;
  support_ends: string | null;
  firmware_count: number;
  created_at: Date;
  updated_at: Date;
  suppliers: SupplierLink[];
};

export type SbomSummaryRow = {
  format: SbomFormat;
  spec_version: string;
  serial_number: string | null;
  sha256: string;
  size: number;
  component_count: number;
  uploaded_by: string;
  uploaded_by_label: string;
  uploaded_at: Date;
};

export type FirmwareRow = {
  id: string;
  model_id: string;
  model_slug: string;
  model_name: string;
  product_id: string;
  product_slug: string;
  product_name: string;
  version: string;
  release_date: string | null;
  notes: string;
  created_at: Date;
  updated_at: Date;
  sbom: SbomSummaryRow | null;
};

/** True when the model `modelRef` (a column such as 'm.id') is linked to the supplier, or unscoped. */
export function modelInScope(modelRef: string, supplierId: SupplierScope): RawBuilder<boolean> {
  if (supplierId === null) return sql<boolean>`true`;
  return sql<boolean>`exists (select 1 from model_suppliers scope_link
    where scope_link.model_id = ${sql.ref(modelRef)} and scope_link.supplier_id = ${supplierId})`;
}

// ---- products -------------------------------------------------------------------------------

function productsQuery(db: Db, supplierId: SupplierScope) {
  return db
    .selectFrom('products as p')
    .select((eb) => [
      'p.id',
      'p.slug',
      'p.name',
      'p.description',
      'p.created_at',
      'p.updated_at',
      eb
        .selectFrom('models as m')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('m.product_id', '=', 'p.id')
        .where(modelInScope('m.id', supplierId))
        .as('model_count'),
    ])
    .$if(supplierId !== null, (qb) =>
      qb.where(
        sql<boolean>`exists (select 1 from models sm join model_suppliers sl on sl.model_id = sm.id
          where sm.product_id = p.id and sl.supplier_id = ${supplierId})`,
      ),
    );
}

export async function listProducts(
  db: Db,
  supplierId: SupplierScope,
  page: Page,
): Promise<{ rows: ProductRow[]; total: number }> {
  const rows = await productsQuery(db, supplierId)
    .orderBy('p.name')
    .orderBy('p.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const total = await productsQuery(db, supplierId)
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { rows: rows.map(productRow), total: Number(total.n) };
}

const productRow = (row: Omit<ProductRow, 'model_count'> & { model_count: number | null }): ProductRow => ({
  ...row,
  model_count: Number(row.model_count ?? 0),
});

export async function findProduct(
  db: Db,
  id: string,
  supplierId: SupplierScope,
): Promise<ProductRow | undefined> {
  const row = await productsQuery(db, supplierId).where('p.id', '=', id).executeTakeFirst();
  return row && productRow(row);
}

export async function findProductIdBySlug(db: Db, slug: string): Promise<string | undefined> {
  const row = await db.selectFrom('products').select('id').where('slug', '=', slug).executeTakeFirst();
  return row?.id;
}

export async function insertProduct(
  db: Db,
  values: { slug: string; name: string; description: string },
): Promise<string> {
  const row = await db.insertInto('products').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateProduct(
  db: Db,
  id: string,
  changes: { slug?: string; name?: string; description?: string },
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('products')
    .set({ ...changes, updated_at: now })
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

// ---- models ---------------------------------------------------------------------------------

function modelsQuery(db: Db, supplierId: SupplierScope) {
  return db
    .selectFrom('models as m')
    .innerJoin('products as p', 'p.id', 'm.product_id')
    .select((eb) => [
      'm.id',
      'm.product_id',
      'p.slug as product_slug',
      'p.name as product_name',
      'm.slug',
      'm.name',
      'm.hardware_revisions',
      'm.remote_update',
      'm.support_ends',
      'm.created_at',
      'm.updated_at',
      eb
        .selectFrom('firmware_versions as f')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('f.model_id', '=', 'm.id')
        .as('firmware_count'),
      sql<SupplierLink[]>`coalesce((
        select json_agg(json_build_object('id', s.id, 'slug', s.slug, 'name', s.name, 'relation', ms.relation)
                        order by s.name, ms.relation)
        from model_suppliers ms join suppliers s on s.id = ms.supplier_id
        where ms.model_id = m.id ${supplierId === null ? sql`` : sql`and ms.supplier_id = ${supplierId}`}
      ), '[]'::json)`.as('suppliers'),
    ])
    .where(modelInScope('m.id', supplierId));
}

type RawModel = Omit<ModelRow, 'firmware_count'> & { firmware_count: number | null };
const modelRow = (row: RawModel): ModelRow => ({ ...row, firmware_count: Number(row.firmware_count ?? 0) });

export async function listModels(
  db: Db,
  productId: string,
  supplierId: SupplierScope,
  page: Page,
): Promise<{ rows: ModelRow[]; total: number }> {
  const rows = await modelsQuery(db, supplierId)
    .where('m.product_id', '=', productId)
    .orderBy('m.name')
    .orderBy('m.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const total = await db
    .selectFrom('models as m')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('m.product_id', '=', productId)
    .where(modelInScope('m.id', supplierId))
    .executeTakeFirstOrThrow();
  return { rows: (rows as RawModel[]).map(modelRow), total: Number(total.n) };
}

export async function findModel(
  db: Db,
  id: string,
  supplierId: SupplierScope,
): Promise<ModelRow | undefined> {
  const row = await modelsQuery(db, supplierId).where('m.id', '=', id).executeTakeFirst();
  return row && modelRow(row as RawModel);
}

export async function findModelIdBySlug(
  db: Db,
  productId: string,
  slug: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('models')
    .select('id')
    .where('product_id', '=', productId)
    .where('slug', '=', slug)
    .executeTakeFirst();
  return row?.id;
}

export type ModelValues = {
  slug: string;
  name: string;
  hardwareRevisions: string[];
  remoteUpdate: boolean;
  supportEnds: string | null;
};

export async function insertModel(db: Db, productId: string, values: ModelValues): Promise<string> {
  const row = await db
    .insertInto('models')
    .values({
      product_id: productId,
      slug: values.slug,
      name: values.name,
      hardware_revisions: values.hardwareRevisions,
      remote_update: values.remoteUpdate,
      support_ends: values.supportEnds,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateModel(
  db: Db,
  id: string,
  changes: Partial<ModelValues>,
  now: Date,
): Promise<void> {
  await db
    .updateTable('models')
    .set({
      ...(changes.slug !== undefined ? { slug: changes.slug } : {}),
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.hardwareRevisions !== undefined ? { hardware_revisions: changes.hardwareRevisions } : {}),
      ...(changes.remoteUpdate !== undefined ? { remote_update: changes.remoteUpdate } : {}),
      ...(changes.supportEnds !== undefined ? { support_ends: changes.supportEnds } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

// ---- supplier links -------------------------------------------------------------------------

export async function findSupplierIdsBySlug(db: Db, slugs: string[]): Promise<Map<string, string>> {
  if (slugs.length === 0) return new Map();
  const rows = await db.selectFrom('suppliers').select(['id', 'slug']).where('slug', 'in', slugs).execute();
  return new Map(rows.map((row) => [row.slug, row.id]));
}

// ---- firmware versions ----------------------------------------------------------------------

function firmwareQuery(db: Db, supplierId: SupplierScope) {
  return db
    .selectFrom('firmware_versions as f')
    .innerJoin('models as m', 'm.id', 'f.model_id')
    .innerJoin('products as p', 'p.id', 'm.product_id')
    .leftJoin('sboms as s', 's.firmware_version_id', 'f.id')
    .select([
      'f.id',
      'f.model_id',
      'm.slug as model_slug',
      'm.name as model_name',
      'p.id as product_id',
      'p.slug as product_slug',
      'p.name as product_name',
      'f.version',
      'f.release_date',
      'f.notes',
      'f.created_at',
      'f.updated_at',
      's.format as sbom_format',
      's.spec_version as sbom_spec_version',
      's.serial_number as sbom_serial_number',
      's.sha256 as sbom_sha256',
      's.size as sbom_size',
      's.component_count as sbom_component_count',
      's.uploaded_by as sbom_uploaded_by',
      's.uploaded_by_label as sbom_uploaded_by_label',
      's.uploaded_at as sbom_uploaded_at',
    ])
    .where(modelInScope('m.id', supplierId));
}

type RawFirmware = Awaited<ReturnType<ReturnType<typeof firmwareQuery>['executeTakeFirstOrThrow']>>;

function firmwareRow(row: RawFirmware): FirmwareRow {
  const { sbom_format, sbom_spec_version, sbom_serial_number, sbom_sha256, sbom_size } = row;
  const { sbom_component_count, sbom_uploaded_by, sbom_uploaded_by_label, sbom_uploaded_at, ...firmware } =
    row;
  return {
    ...firmware,
    sbom:
      sbom_format === null
        ? null
        : {
            format: sbom_format,
            spec_version: sbom_spec_version as string,
            serial_number: sbom_serial_number,
            sha256: sbom_sha256 as string,
            size: Number(sbom_size),
            component_count: Number(sbom_component_count),
            uploaded_by: sbom_uploaded_by as string,
            uploaded_by_label: sbom_uploaded_by_label as string,
            uploaded_at: sbom_uploaded_at as Date,
          },
  };
}

/** Firmware versions of a model, oldest version first (byte order of the version keys). */
export async function listFirmware(
  db: Db,
  modelId: string,
  supplierId: SupplierScope,
  page: Page,
): Promise<{ rows: FirmwareRow[]; total: number }> {
  const rows = await firmwareQuery(db, supplierId)
    .where('f.model_id', '=', modelId)
    .orderBy('f.version_key')
    .orderBy('f.version')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const total = await db
    .selectFrom('firmware_versions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('model_id', '=', modelId)
    .executeTakeFirstOrThrow();
  return { rows: rows.map(firmwareRow), total: Number(total.n) };
}

export async function findFirmware(
  db: Db,
  id: string,
  supplierId: SupplierScope,
): Promise<FirmwareRow | undefined> {
  const row = await firmwareQuery(db, supplierId).where('f.id', '=', id).executeTakeFirst();
  return row && firmwareRow(row);
}

export async function findFirmwareIdByVersion(
  db: Db,
  modelId: string,
  version: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('firmware_versions')
    .select('id')
    .where('model_id', '=', modelId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row?.id;
}

export type FirmwareValues = {
  version: string;
  versionKey: string;
  releaseDate: string | null;
  notes: string;
};

export async function insertFirmware(db: Db, modelId: string, values: FirmwareValues): Promise<string> {
  const row = await db
    .insertInto('firmware_versions')
    .values({
      model_id: modelId,
      version: values.version,
      version_key: values.versionKey,
      release_date: values.releaseDate,
      notes: values.notes,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateFirmware(
  db: Db,
  id: string,
  changes: Partial<FirmwareValues>,
  now: Date,
): Promise<void> {
  await db
    .updateTable('firmware_versions')
    .set({
      ...(changes.version !== undefined ? { version: changes.version } : {}),
      ...(changes.versionKey !== undefined ? { version_key: changes.versionKey } : {}),
      ...(changes.releaseDate !== undefined ? { release_date: changes.releaseDate } : {}),
      ...(changes.notes !== undefined ? { notes: changes.notes } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

// ---- bulk export ----------------------------------------------------------------------------

export type InventorySnapshot = {
  products: Array<{ id: string; slug: string; name: string; description: string }>;
  models: ModelRow[];
  firmware: Array<{ model_id: string; version: string; release_date: string | null; notes: string }>;
};

/** Everything in scope, ordered by slug, slug and version: the same inventory exports the same. */
export async function inventorySnapshot(db: Db, supplierId: SupplierScope): Promise<InventorySnapshot> {
  const products = await productsQuery(db, supplierId)
    .clearSelect()
    .select(['p.id', 'p.slug', 'p.name', 'p.description'])
    .orderBy('p.slug')
    .execute();
  const models = await modelsQuery(db, supplierId).orderBy('p.slug').orderBy('m.slug').execute();
  const firmware = await db
    .selectFrom('firmware_versions as f')
    .innerJoin('models as m', 'm.id', 'f.model_id')
    .select(['f.model_id', 'f.version', 'f.release_date', 'f.notes'])
    .where(modelInScope('m.id', supplierId))
    .orderBy('f.model_id')
    .orderBy('f.version_key')
    .orderBy('f.version')
    .execute();
  return { products, models: (models as RawModel[]).map(modelRow), firmware };
}

export type StoredFirmwareFields = { id: string; release_date: string | null; notes: string };

export async function findFirmwareByVersion(
  db: Db,
  modelId: string,
  version: string,
): Promise<StoredFirmwareFields | undefined> {
  return db
    .selectFrom('firmware_versions')
    .select(['id', 'release_date', 'notes'])
    .where('model_id', '=', modelId)
    .where('version', '=', version)
    .executeTakeFirst();
}

export async function findProductBySlug(db: Db, slug: string) {
  return db
    .selectFrom('products')
    .select(['id', 'slug', 'name', 'description'])
    .where('slug', '=', slug)
    .executeTakeFirst();
}

export async function findModelBySlug(
  db: Db,
  productId: string,
  slug: string,
): Promise<ModelRow | undefined> {
  const row = await modelsQuery(db, null)
    .where('m.product_id', '=', productId)
    .where('m.slug', '=', slug)
    .executeTakeFirst();
  return row && modelRow(row as RawModel);
}
