// Every query on firmware artifacts.
import type { Db } from '../../db/database.ts';
import { modelInScope, type SupplierScope } from '../../inventory/store.ts';

export type ArtifactRow = {
  id: string;
  model_id: string;
  sha256: string;
  sha512: string;
  size: number;
  file_name: string;
  uploaded_by_label: string;
  created_at: Date;
};

const columns = [
  'id',
  'model_id',
  'sha256',
  'sha512',
  'size',
  'file_name',
  'uploaded_by_label',
  'created_at',
] as const;

/**
 * Records an artifact; the same bytes already recorded for the model are kept as they are.
 * Returns the artifact and whether this call created it.
 */
export async function insertArtifact(
  db: Db,
  values: {
    modelId: string;
    sha256: string;
    sha512: string;
    size: number;
    fileName: string;
    uploadedBy: string;
    uploadedByLabel: string;
  },
): Promise<{ row: ArtifactRow; created: boolean }> {
  const inserted = await db
    .insertInto('firmware_artifacts')
    .values({
      model_id: values.modelId,
      sha256: values.sha256,
      sha512: values.sha512,
      size: values.size,
      file_name: values.fileName,
      uploaded_by: values.uploadedBy,
      uploaded_by_label: values.uploadedByLabel,
    })
    .onConflict((oc) => oc.columns(['model_id', 'sha256']).doNothing())
    .returning(columns)
    .executeTakeFirst();
  if (inserted) return { row: inserted, created: true };
  const existing = await db
    .selectFrom('firmware_artifacts')
    .select(columns)
    .where('model_id', '=', values.modelId)
    .where('sha256', '=', values.sha256)
    .executeTakeFirstOrThrow();
  return { row: existing, created: false };
}

export async function listArtifacts(db: Db, modelId: string): Promise<ArtifactRow[]> {
  return db
    .selectFrom('firmware_artifacts')
    .select(columns)
    .where('model_id', '=', modelId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

/** The artifact, or undefined when it does not exist or its model lies outside the supplier scope. */
export async function findArtifact(
  db: Db,
  id: string,
  scope: SupplierScope,
): Promise<ArtifactRow | undefined> {
  return db
    .selectFrom('firmware_artifacts')
    .select(columns)
    .where('id', '=', id)
    .where(modelInScope('firmware_artifacts.model_id', scope))
    .executeTakeFirst();
}

/** Whether the supplier is recorded as building the model (not only supplying parts of it). */
export async function supplierBuildsModel(db: Db, supplierId: string, modelId: string): Promise<boolean> {
  const row = await db
    .selectFrom('model_suppliers')
    .select('model_id')
    .where('model_id', '=', modelId)
    .where('supplier_id', '=', supplierId)
    .where('relation', '=', 'builds')
    .executeTakeFirst();
  return row !== undefined;
}
