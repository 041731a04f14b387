// Bulk import and export of the inventory (products, models with their supplier links, firmware
// versions) as JSON or CSV. An import is checked completely first and then applied in one transaction:
// it upserts by product slug, model slug and firmware version, and either all of it lands or none.
// SBOMs are not part of it: they are files of their own, uploaded per firmware version.
import { type Principal, requireRole, supplierScope } from '../auth/access.ts';
import type { Db } from '../db/database.ts';
import type { SupplierRelation } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { appendAudit } from '../platform/audit.ts';
import { Invalid } from '../platform/errors.ts';
import { csvColumnOf } from './inventory-csv.ts';
import {
  dateProblem,
  FieldProblems,
  hardwareRevisionsProblem,
  limits,
  nameProblem,
  slugProblem,
  textProblem,
  versionProblem,
} from './inventory-input.ts';
import { setModelSuppliers } from './model-supplier-links.ts';
import { writers } from './product-service.ts';
import * as store from './store.ts';
import { versionSortKey } from './versions/version-order.ts';

export type SupplierLinkSpec = { supplier: string; relation: SupplierRelation };

/** One firmware version as exported and imported; `where` says where it came from, for errors. */
export type FirmwareSpec = { where: string; version: string; releaseDate?: string | null; notes?: string };
export type ModelSpec = {
  where: string;
  slug: string;
  name?: string;
  hardwareRevisions?: string[];
  remoteUpdate?: boolean;
  supportEnds?: string | null;
  suppliers?: SupplierLinkSpec[];
  firmware: FirmwareSpec[];
};
export type ProductSpec = {
  where: string;
  slug: string;
  name?: string;
  description?: string;
  models: ModelSpec[];
};

/** The JSON document of an export, and what an import takes. */
export type InventoryDocument = {
  format: 'openpsirt-inventory';
  version: 1;
  products: Array<{
    slug: string;
    name: string;
    description: string;
    models: Array<{
      slug: string;
      name: string;
      hardwareRevisions: string[];
      remoteUpdate: boolean;
      supportEnds: string | null;
      suppliers: SupplierLinkSpec[];
      firmware: Array<{ version: string; releaseDate: string | null; notes: string }>;
    }>;
  }>;
};

export async function exportInventory(deps: Deps, principal: Principal): Promise<InventoryDocument> {
  const snapshot = await store.inventorySnapshot(deps.db, supplierScope(principal));
  const firmwareByModel = Map.groupBy(snapshot.firmware, (firmware) => firmware.model_id);
  const modelsByProduct = Map.groupBy(snapshot.models, (model) => model.product_id);
  return {
    format: 'openpsirt-inventory',
    version: 1,
    products: snapshot.products.map((product) => ({
      slug: product.slug,
      name: product.name,
      description: product.description,
      models: (modelsByProduct.get(product.id) ?? []).map((model) => ({
        slug: model.slug,
        name: model.name,
        hardwareRevisions: model.hardware_revisions,
        remoteUpdate: model.remote_update,
        supportEnds: model.support_ends,
        suppliers: model.suppliers
          .map((link) => ({ supplier: link.slug, relation: link.relation }))
          .sort((a, b) => a.supplier.localeCompare(b.supplier) || a.relation.localeCompare(b.relation)),
        firmware: (firmwareByModel.get(model.id) ?? []).map((firmware) => ({
          version: firmware.version,
          releaseDate: firmware.release_date,
          notes: firmware.notes,
        })),
      })),
    })),
  };
}

/** Turns a JSON import document (already shape-checked by the route schema) into specs. */
export function specsFromDocument(document: { products: Array<Record<string, unknown>> }): ProductSpec[] {
  return document.products.map((product, p) => {
    const raw = product as Omit<ProductSpec, 'where' | 'models'> & {
      models?: Array<Record<string, unknown>>;
    };
    return {
      ...raw,
      where: `products[${p}]`,
      models: (raw.models ?? []).map((model, m) => {
        const rawModel = model as Omit<ModelSpec, 'where' | 'firmware'> & { firmware?: FirmwareSpec[] };
        return {
          ...rawModel,
          where: `products[${p}].models[${m}]`,
          firmware: (rawModel.firmware ?? []).map((firmware, f) => ({
            ...firmware,
            where: `products[${p}].models[${m}].firmware[${f}]`,
          })),
        };
      }),
    };
  });
}

// ---- checking -------------------------------------------------------------------------------

const maxProblems = 50;
const refusal = 'The import was refused; nothing was changed';
const refused = (where: string, reason: string) => new Invalid({ [where]: reason }, refusal);

/** Names a field of a record: "products[0].models[1].slug" in JSON, "line 7: model_slug" in CSV. */
function at(where: string, field: string, level: keyof typeof csvColumnOf = 'product'): string {
  return where.startsWith('line ') ? `${where}: ${csvColumnOf[level][field] ?? field}` : `${where}.${field}`;
}

/** Every rule of every record, and duplicates inside the file; all problems are reported at once. */
function checkSpecs(products: ProductSpec[]): FieldProblems {
  const problems = new FieldProblems();
  const productSlugs = new Set<string>();
  for (const product of products) {
    problems.check(at(product.where, 'slug'), slugProblem(product.slug));
    if (productSlugs.has(product.slug))
      problems.check(at(product.where, 'slug'), 'names a product already given above');
    productSlugs.add(product.slug);
    if (product.name !== undefined) problems.check(at(product.where, 'name'), nameProblem(product.name));
    if (product.description !== undefined) {
      problems.check(at(product.where, 'description'), textProblem(product.description, limits.description));
    }
    const modelSlugs = new Set<string>();
    for (const model of product.models) {
      problems.check(at(model.where, 'slug', 'model'), slugProblem(model.slug));
      if (modelSlugs.has(model.slug))
        problems.check(at(model.where, 'slug', 'model'), 'names a model already given above');
      modelSlugs.add(model.slug);
      if (model.name !== undefined) problems.check(at(model.where, 'name', 'model'), nameProblem(model.name));
      if (model.hardwareRevisions !== undefined) {
        problems.check(
          at(model.where, 'hardwareRevisions', 'model'),
          hardwareRevisionsProblem(model.hardwareRevisions),
        );
      }
      if (model.supportEnds !== undefined && model.supportEnds !== null) {
        problems.check(at(model.where, 'supportEnds', 'model'), dateProblem(model.supportEnds));
      }
      const versions = new Set<string>();
      for (const firmware of model.firmware) {
        problems.check(at(firmware.where, 'version', 'firmware'), versionProblem(firmware.version));
        if (versions.has(firmware.version)) {
          problems.check(
            at(firmware.where, 'version', 'firmware'),
            'names a firmware version already given above',
          );
        }
        versions.add(firmware.version);
        if (firmware.releaseDate !== undefined && firmware.releaseDate !== null) {
          problems.check(at(firmware.where, 'releaseDate', 'firmware'), dateProblem(firmware.releaseDate));
        }
        if (firmware.notes !== undefined)
          problems.check(at(firmware.where, 'notes', 'firmware'), textProblem(firmware.notes, limits.notes));
        if (Object.keys(problems.fields).length >= maxProblems) return problems;
      }
    }
  }
  return problems;
}

// ---- applying -------------------------------------------------------------------------------

export type ImportCounts = { created: number; updated: number; unchanged: number };
export type ImportResult = {
  dryRun: boolean;
  products: ImportCounts;
  models: ImportCounts;
  firmware: ImportCounts;
};

const zero = (): ImportCounts => ({ created: 0, updated: 0, unchanged: 0 });

/** Thrown inside the transaction of a dry run so that it rolls back; carries the result out. */
class DryRunRollback extends Error {
  readonly result: ImportResult;
  constructor(result: ImportResult) {
    super('dry run');
    this.result = result;
  }
}

function differences(before: Record<string, unknown>, after: Record<string, unknown>) {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, to] of Object.entries(after)) {
    if (to !== undefined && JSON.stringify(before[field]) !== JSON.stringify(to)) {
      changes[field] = { from: before[field], to };
    }
  }
  return changes;
}

const sameLinks = (a: SupplierLinkSpec[], b: SupplierLinkSpec[]) => {
  const key = (links: SupplierLinkSpec[]) =>
    links
      .map((l) => `${l.supplier}:${l.relation}`)
      .sort()
      .join(',');
  return key(a) === key(b);
};

export async function importInventory(
  deps: Deps,
  principal: Principal,
  products: ProductSpec[],
  options: { dryRun: boolean },
): Promise<ImportResult> {
  requireRole(principal, ...writers);
  const problems = checkSpecs(products);
  if (!problems.empty) throw new Invalid(problems.fields, refusal);

  const supplierSlugs = [
    ...new Set(products.flatMap((p) => p.models.flatMap((m) => (m.suppliers ?? []).map((s) => s.supplier)))),
  ];
  const suppliers = await store.findSupplierIdsBySlug(deps.db, supplierSlugs);
  for (const product of products) {
    for (const model of product.models) {
      for (const link of model.suppliers ?? []) {
        if (!suppliers.has(link.supplier)) {
          problems.check(
            at(model.where, 'suppliers', 'model'),
            `no supplier has the slug "${link.supplier}"; create it first`,
          );
        }
      }
    }
  }
  if (!problems.empty) throw new Invalid(problems.fields, refusal);

  const now = deps.clock();
  const audit = (
    trx: Db,
    action: string,
    subjectType: string,
    subjectId: string,
    detail: Record<string, unknown>,
  ) =>
    appendAudit(trx as never, {
      actor: principal,
      action,
      subjectType,
      subjectId,
      detail: { via: 'import', ...detail },
      at: now,
    });
  const result: ImportResult = { dryRun: options.dryRun, products: zero(), models: zero(), firmware: zero() };
  try {
    await deps.db.transaction().execute(async (trx) => {
      for (const product of products) {
        const productId = await applyProduct(trx, product);
        for (const model of product.models) await applyModel(trx, productId, model);
      }
      if (options.dryRun) throw new DryRunRollback(result);
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result;
    throw error;
  }
  return result;

  async function applyProduct(trx: Db, product: ProductSpec): Promise<string> {
    const existing = await store.findProductBySlug(trx, product.slug);
    const values = { name: product.name?.trim(), description: product.description };
    if (!existing) {
      if (values.name === undefined)
        throw refused(at(product.where, 'name'), `product "${product.slug}" is new, so it needs a name`);
      const id = await store.insertProduct(trx, {
        slug: product.slug,
        name: values.name,
        description: values.description ?? '',
      });
      await audit(trx, 'PRODUCT_CREATED', 'product', id, { slug: product.slug });
      result.products.created++;
      return id;
    }
    const changes = differences(existing, values);
    if (Object.keys(changes).length === 0) result.products.unchanged++;
    else {
      await store.updateProduct(trx, existing.id, values, now);
      await audit(trx, 'PRODUCT_UPDATED', 'product', existing.id, changes);
      result.products.updated++;
    }
    return existing.id;
  }

  async function applyModel(trx: Db, productId: string, model: ModelSpec): Promise<void> {
    const existing = await store.findModelBySlug(trx, productId, model.slug);
    const values: Partial<store.ModelValues> = {
      name: model.name?.trim(),
      hardwareRevisions: model.hardwareRevisions,
      remoteUpdate: model.remoteUpdate,
      supportEnds: model.supportEnds,
    };
    let modelId: string;
    if (!existing) {
      if (values.name === undefined)
        throw refused(at(model.where, 'name', 'model'), `model "${model.slug}" is new, so it needs a name`);
      modelId = await store.insertModel(trx, productId, {
        slug: model.slug,
        name: values.name,
        hardwareRevisions: values.hardwareRevisions ?? [],
        remoteUpdate: values.remoteUpdate ?? false,
        supportEnds: values.supportEnds ?? null,
      });
      await audit(trx, 'MODEL_CREATED', 'model', modelId, { productId, slug: model.slug });
      result.models.created++;
      if (model.suppliers) await linkSuppliers(trx, modelId, model.suppliers);
    } else {
      modelId = existing.id;
      const changes = differences(
        {
          name: existing.name,
          hardwareRevisions: existing.hardware_revisions,
          remoteUpdate: existing.remote_update,
          supportEnds: existing.support_ends,
        },
        values,
      );
      const current = existing.suppliers.map((s) => ({ supplier: s.slug, relation: s.relation }));
      const linksChange = model.suppliers !== undefined && !sameLinks(current, model.suppliers);
      if (linksChange) changes.suppliers = { from: current, to: model.suppliers };
      if (Object.keys(changes).length === 0) result.models.unchanged++;
      else {
        await store.updateModel(trx, modelId, values, now);
        if (linksChange) await linkSuppliers(trx, modelId, model.suppliers ?? []);
        await audit(trx, 'MODEL_UPDATED', 'model', modelId, changes);
        result.models.updated++;
      }
    }
    for (const firmware of model.firmware) await applyFirmware(trx, modelId, firmware);
  }

  async function linkSuppliers(trx: Db, modelId: string, links: SupplierLinkSpec[]) {
    await setModelSuppliers(
      trx,
      modelId,
      links.map((link) => ({ supplierId: suppliers.get(link.supplier) as string, relation: link.relation })),
    );
  }

  async function applyFirmware(trx: Db, modelId: string, firmware: FirmwareSpec): Promise<void> {
    const existing = await store.findFirmwareByVersion(trx, modelId, firmware.version);
    if (!existing) {
      const id = await store.insertFirmware(trx, modelId, {
        version: firmware.version,
        versionKey: versionSortKey(firmware.version),
        releaseDate: firmware.releaseDate ?? null,
        notes: firmware.notes ?? '',
      });
      await audit(trx, 'FIRMWARE_CREATED', 'firmware', id, { modelId, version: firmware.version });
      result.firmware.created++;
      return;
    }
    const values = { releaseDate: firmware.releaseDate, notes: firmware.notes };
    const changes = differences({ releaseDate: existing.release_date, notes: existing.notes }, values);
    if (Object.keys(changes).length === 0) {
      result.firmware.unchanged++;
      return;
    }
    await store.updateFirmware(trx, existing.id, values, now);
    await audit(trx, 'FIRMWARE_UPDATED', 'firmware', existing.id, changes);
    result.firmware.updated++;
  }
}
