// Writes of the model ↔ supplier links (`model_suppliers`), from either side: the inventory sets a
// model's suppliers, the suppliers feature sets a supplier's models. Reads join the table where needed.
import type { Db } from '../db/database.ts';
import type { SupplierRelation } from '../db/schema.ts';

/** Replaces the supplier links of a model with `links`. */
export async function setModelSuppliers(
  db: Db,
  modelId: string,
  links: Array<{ supplierId: string; relation: SupplierRelation }>,
): Promise<void> {
  await db.deleteFrom('model_suppliers').where('model_id', '=', modelId).execute();
  if (links.length === 0) return;
  await db
    .insertInto('model_suppliers')
    .values(
      links.map((link) => ({ model_id: modelId, supplier_id: link.supplierId, relation: link.relation })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Links one model to one supplier (kept if the link exists). */
export async function linkModelSupplier(
  db: Db,
  link: { modelId: string; supplierId: string; relation: SupplierRelation },
): Promise<void> {
  await db
    .insertInto('model_suppliers')
    .values({ model_id: link.modelId, supplier_id: link.supplierId, relation: link.relation })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Replaces every model link of a supplier with `links`. */
export async function setSupplierModels(
  db: Db,
  supplierId: string,
  links: Array<{ modelId: string; relation: SupplierRelation }>,
): Promise<void> {
  await db.deleteFrom('model_suppliers').where('supplier_id', '=', supplierId).execute();
  if (links.length === 0) return;
  await db
    .insertInto('model_suppliers')
    .values(
      links.map((link) => ({ model_id: link.modelId, supplier_id: supplierId, relation: link.relation })),
    )
    .execute();
}
