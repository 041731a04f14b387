// Every query of the suppliers feature: supplier records, their model links, the safeguards
// checklist, evidence files and the checklist's append-only history. Returns plain objects.
import type { Db } from '../db/database.ts';
import type { SafeguardStatusColumn, SupplierRelation } from '../db/schema.ts';

export type Contact = { name: string; email: string; role: string; phone?: string };

export type SupplierRow = {
  id: string;
  slug: string;
  name: string;
  country: string | null;
  contacts: Contact[];
  created_at: Date;
};

export type SupplierModelRow = {
  model_id: string;
  model_slug: string;
  model_name: string;
  product_id: string;
  product_slug: string;
  product_name: string;
  relation: SupplierRelation;
};

export type SafeguardRow = {
  supplier_id: string;
  item_key: string;
  status: SafeguardStatusColumn;
  terms_days: number | null;
  status_date: string | null;
  evidence_url: string | null;
  evidence_sha256: string | null;
  evidence_file_name: string | null;
  note: string;
  updated_by: string;
  updated_by_label: string;
  updated_at: Date;
};

export type SafeguardEventRow = {
  id: string;
  supplier_id: string;
  item_key: string;
  kind: 'changed' | 'evidence-uploaded';
  changes: Record<string, { from: unknown; to: unknown }>;
  actor: string;
  actor_label: string;
  at: Date;
};

export type EvidenceFileRow = {
  supplier_id: string;
  item_key: string;
  sha256: string;
  file_name: string;
  declared_type: string;
  size: number;
  uploaded_by_label: string;
  uploaded_at: Date;
};

/** jsonb arrives parsed from both engines; text is tolerated so a driver change cannot break reads. */
const fromJson = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

const supplierRow = (row: Omit<SupplierRow, 'contacts'> & { contacts: unknown }): SupplierRow => ({
  ...row,
  contacts: fromJson<Contact[]>(row.contacts),
});

const supplierColumns = ['id', 'slug', 'name', 'country', 'contacts', 'created_at'] as const;

/** Suppliers by name; `only` limits the list to one supplier id (a supplier user's own). */
export async function listSuppliers(db: Db, only: string | null): Promise<SupplierRow[]> {
  const rows = await db
    .selectFrom('suppliers')
    .select(supplierColumns)
    .$if(only !== null, (qb) => qb.where('id', '=', only as string))
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map(supplierRow);
}

export async function findSupplier(db: Db, id: string): Promise<SupplierRow | undefined> {
  const row = await db
    .selectFrom('suppliers')
    .select(supplierColumns)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && supplierRow(row);
}

export async function findSupplierBySlug(db: Db, slug: string): Promise<SupplierRow | undefined> {
  const row = await db
    .selectFrom('suppliers')
    .select(supplierColumns)
    .where('slug', '=', slug)
    .executeTakeFirst();
  return row && supplierRow(row);
}

export async function insertSupplier(
  db: Db,
  values: { slug: string; name: string; country: string | null; contacts: Contact[]; createdAt: Date },
): Promise<string> {
  const row = await db
    .insertInto('suppliers')
    .values({
      slug: values.slug,
      name: values.name,
      country: values.country,
      contacts: JSON.stringify(values.contacts),
      created_at: values.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateSupplier(
  db: Db,
  id: string,
  changes: { name?: string; country?: string | null; contacts?: Contact[] },
): Promise<void> {
  await db
    .updateTable('suppliers')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.country !== undefined ? { country: changes.country } : {}),
      ...(changes.contacts !== undefined ? { contacts: JSON.stringify(changes.contacts) } : {}),
    })
    .where('id', '=', id)
    .execute();
}

// ---- model links ----------------------------------------------------------------------------

/** The models linked to each of `supplierIds`, by product and model name. */
export async function listSupplierModels(
  db: Db,
  supplierIds: string[],
): Promise<Map<string, SupplierModelRow[]>> {
  const bySupplier = new Map<string, SupplierModelRow[]>(supplierIds.map((id) => [id, []]));
  if (supplierIds.length === 0) return bySupplier;
  const rows = await db
    .selectFrom('model_suppliers as ms')
    .innerJoin('models as m', 'm.id', 'ms.model_id')
    .innerJoin('products as p', 'p.id', 'm.product_id')
    .select([
      'ms.supplier_id',
      'm.id as model_id',
      'm.slug as model_slug',
      'm.name as model_name',
      'p.id as product_id',
      'p.slug as product_slug',
      'p.name as product_name',
      'ms.relation',
    ])
    .where('ms.supplier_id', 'in', supplierIds)
    .orderBy('p.name')
    .orderBy('m.name')
    .orderBy('ms.relation')
    .execute();
  for (const { supplier_id, ...row } of rows) bySupplier.get(supplier_id)?.push(row);
  return bySupplier;
}

// ---- safeguards checklist -------------------------------------------------------------------

export async function listSafeguards(db: Db, supplierIds: string[]): Promise<SafeguardRow[]> {
  if (supplierIds.length === 0) return [];
  return db.selectFrom('supplier_safeguards').selectAll().where('supplier_id', 'in', supplierIds).execute();
}

/** The item's row, locked until the transaction ends so that concurrent changes queue up. */
export async function findSafeguardForUpdate(
  db: Db,
  supplierId: string,
  itemKey: string,
): Promise<SafeguardRow | undefined> {
  return db
    .selectFrom('supplier_safeguards')
    .selectAll()
    .where('supplier_id', '=', supplierId)
    .where('item_key', '=', itemKey)
    .forUpdate()
    .executeTakeFirst();
}

export async function upsertSafeguard(db: Db, row: SafeguardRow): Promise<void> {
  const { supplier_id, item_key, ...changes } = row;
  await db
    .insertInto('supplier_safeguards')
    .values(row)
    .onConflict((oc) => oc.columns(['supplier_id', 'item_key']).doUpdateSet(changes))
    .execute();
}

export async function insertSafeguardEvent(db: Db, event: Omit<SafeguardEventRow, 'id'>): Promise<void> {
  await db
    .insertInto('supplier_safeguard_events')
    .values({ ...event, changes: JSON.stringify(event.changes) })
    .execute();
}

/** Oldest first; `itemKey` narrows to one checklist item. */
export async function listSafeguardEvents(
  db: Db,
  supplierId: string,
  itemKey: string | null,
): Promise<SafeguardEventRow[]> {
  const rows = await db
    .selectFrom('supplier_safeguard_events')
    .selectAll()
    .where('supplier_id', '=', supplierId)
    .$if(itemKey !== null, (qb) => qb.where('item_key', '=', itemKey as string))
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    ...row,
    id: String(row.id),
    changes: fromJson<SafeguardEventRow['changes']>(row.changes),
  }));
}

// ---- evidence files -------------------------------------------------------------------------

/** Records a committed blob as evidence of one item (the same file twice is recorded once). */
export async function insertEvidenceFile(
  db: Db,
  file: EvidenceFileRow & { uploaded_by: string },
): Promise<void> {
  await db
    .insertInto('blobs')
    .values({ sha256: file.sha256, size: file.size })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  await db
    .insertInto('supplier_evidence_files')
    .values(file)
    .onConflict((oc) => oc.columns(['supplier_id', 'item_key', 'sha256']).doNothing())
    .execute();
}

export async function findEvidenceFile(
  db: Db,
  supplierId: string,
  itemKey: string,
  sha256: string,
): Promise<EvidenceFileRow | undefined> {
  const row = await db
    .selectFrom('supplier_evidence_files')
    .select([
      'supplier_id',
      'item_key',
      'sha256',
      'file_name',
      'declared_type',
      'size',
      'uploaded_by_label',
      'uploaded_at',
    ])
    .where('supplier_id', '=', supplierId)
    .where('item_key', '=', itemKey)
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  return row && { ...row, size: Number(row.size) };
}
