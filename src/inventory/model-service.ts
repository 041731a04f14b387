// Models: the hardware revisions of a product that run one firmware line. A supplier reads only models
// linked to it; admins and analysts create and change them, and every change is audited.
import { type Principal, requireRole, supplierScope } from '../auth/access.ts';
import { isUniqueViolation } from '../db/database.ts';
import type { Deps } from '../deps.ts';
import { appendAudit } from '../platform/audit.ts';
import { Conflict, Invalid, NotFound } from '../platform/errors.ts';
import type { Page } from '../platform/paging.ts';
import {
  dateProblem,
  FieldProblems,
  hardwareRevisionsProblem,
  nameProblem,
  slugProblem,
} from './inventory-input.ts';
import { changedFields, getProduct, writers } from './product-service.ts';
import * as store from './store.ts';

export type ModelInput = {
  slug: string;
  name: string;
  hardwareRevisions?: string[] | undefined;
  remoteUpdate?: boolean | undefined;
  supportEnds?: string | null | undefined;
};
export type ModelChanges = Partial<ModelInput>;

function checkModel(input: ModelChanges): void {
  const problems = new FieldProblems();
  if (input.slug !== undefined) problems.check('slug', slugProblem(input.slug));
  if (input.name !== undefined) problems.check('name', nameProblem(input.name));
  if (input.hardwareRevisions !== undefined) {
    problems.check('hardwareRevisions', hardwareRevisionsProblem(input.hardwareRevisions));
  }
  if (input.supportEnds !== undefined && input.supportEnds !== null) {
    problems.check('supportEnds', dateProblem(input.supportEnds));
  }
  if (!problems.empty) throw new Invalid(problems.fields);
}

export async function listModels(deps: Deps, principal: Principal, productId: string, page: Page) {
  await getProduct(deps, principal, productId);
  return store.listModels(deps.db, productId, supplierScope(principal), page);
}

export async function getModel(deps: Deps, principal: Principal, id: string): Promise<store.ModelRow> {
  const model = await store.findModel(deps.db, id, supplierScope(principal));
  if (!model) throw new NotFound('No such model');
  return model;
}

const slugTaken = (slug: string) => new Conflict(`This product has a model with the slug "${slug}" already`);

export async function createModel(
  deps: Deps,
  principal: Principal,
  productId: string,
  input: ModelInput,
): Promise<store.ModelRow> {
  requireRole(principal, ...writers);
  await getProduct(deps, principal, productId);
  checkModel(input);
  const values: store.ModelValues = {
    slug: input.slug,
    name: input.name.trim(),
    hardwareRevisions: input.hardwareRevisions ?? [],
    remoteUpdate: input.remoteUpdate ?? false,
    supportEnds: input.supportEnds ?? null,
  };
  const id = await deps.db
    .transaction()
    .execute(async (trx) => {
      if (await store.findModelIdBySlug(trx, productId, values.slug)) throw slugTaken(values.slug);
      const id = await store.insertModel(trx, productId, values);
      await appendAudit(trx, {
        actor: principal,
        action: 'MODEL_CREATED',
        subjectType: 'model',
        subjectId: id,
        detail: { productId, ...values },
        at: deps.clock(),
      });
      return id;
    })
    .catch((error: unknown) => {
      throw isUniqueViolation(error) ? slugTaken(values.slug) : error;
    });
  return getModel(deps, principal, id);
}

const modelColumns = {
  hardwareRevisions: 'hardware_revisions',
  remoteUpdate: 'remote_update',
  supportEnds: 'support_ends',
};

export async function updateModel(
  deps: Deps,
  principal: Principal,
  id: string,
  changes: ModelChanges,
): Promise<store.ModelRow> {
  requireRole(principal, ...writers);
  checkModel(changes);
  const values = { ...changes, ...(changes.name !== undefined ? { name: changes.name.trim() } : {}) };
  await deps.db
    .transaction()
    .execute(async (trx) => {
      const before = await store.findModel(trx, id, null);
      if (!before) throw new NotFound('No such model');
      if (values.slug !== undefined && values.slug !== before.slug) {
        if (await store.findModelIdBySlug(trx, before.product_id, values.slug)) throw slugTaken(values.slug);
      }
      await store.updateModel(trx, id, values, deps.clock());
      await appendAudit(trx, {
        actor: principal,
        action: 'MODEL_UPDATED',
        subjectType: 'model',
        subjectId: id,
        detail: changedFields(before as unknown as Record<string, unknown>, values, modelColumns),
        at: deps.clock(),
      });
    })
    .catch((error: unknown) => {
      throw isUniqueViolation(error) ? slugTaken(values.slug ?? '') : error;
    });
  return getModel(deps, principal, id);
}
