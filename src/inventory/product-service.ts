// Products: the maker's product lines. Everyone signed in reads (a supplier only products with a model
// linked to it); admins and analysts create and change them, and every change is audited.
import { type Principal, requireRole, supplierScope } from '../auth/access.ts';
import { isUniqueViolation } from '../db/database.ts';
import type { Deps } from '../deps.ts';
import { appendAudit } from '../platform/audit.ts';
import { Conflict, Invalid, NotFound } from '../platform/errors.ts';
import type { Page } from '../platform/paging.ts';
import { FieldProblems, limits, nameProblem, slugProblem, textProblem } from './inventory-input.ts';
import * as store from './store.ts';

export type ProductInput = { slug: string; name: string; description?: string | undefined };
export type ProductChanges = Partial<ProductInput>;

export const writers = ['admin', 'analyst'] as const;

function checkProduct(input: ProductChanges): void {
  const problems = new FieldProblems();
  if (input.slug !== undefined) problems.check('slug', slugProblem(input.slug));
  if (input.name !== undefined) problems.check('name', nameProblem(input.name));
  if (input.description !== undefined)
    problems.check('description', textProblem(input.description, limits.description));
  if (!problems.empty) throw new Invalid(problems.fields);
}

export async function listProducts(deps: Deps, principal: Principal, page: Page) {
  return store.listProducts(deps.db, supplierScope(principal), page);
}

export async function getProduct(deps: Deps, principal: Principal, id: string): Promise<store.ProductRow> {
  const product = await store.findProduct(deps.db, id, supplierScope(principal));
  if (!product) throw new NotFound('No such product');
  return product;
}

const slugTaken = (slug: string) => new Conflict(`A product with the slug "${slug}" exists already`);

export async function createProduct(
  deps: Deps,
  principal: Principal,
  input: ProductInput,
): Promise<store.ProductRow> {
  requireRole(principal, ...writers);
  checkProduct(input);
  const values = { slug: input.slug, name: input.name.trim(), description: input.description ?? '' };
  const id = await deps.db
    .transaction()
    .execute(async (trx) => {
      if (await store.findProductIdBySlug(trx, values.slug)) throw slugTaken(values.slug);
      const id = await store.insertProduct(trx, values);
      await appendAudit(trx, {
        actor: principal,
        action: 'PRODUCT_CREATED',
        subjectType: 'product',
        subjectId: id,
        detail: values,
        at: deps.clock(),
      });
      return id;
    })
    .catch((error: unknown) => {
      throw isUniqueViolation(error) ? slugTaken(values.slug) : error;
    });
  return getProduct(deps, principal, id);
}

export async function updateProduct(
  deps: Deps,
  principal: Principal,
  id: string,
  changes: ProductChanges,
): Promise<store.ProductRow> {
  requireRole(principal, ...writers);
  checkProduct(changes);
  const values = { ...changes, ...(changes.name !== undefined ? { name: changes.name.trim() } : {}) };
  await deps.db
    .transaction()
    .execute(async (trx) => {
      const before = await store.findProduct(trx, id, null);
      if (!before) throw new NotFound('No such product');
      if (values.slug !== undefined && values.slug !== before.slug) {
        if (await store.findProductIdBySlug(trx, values.slug)) throw slugTaken(values.slug);
      }
      await store.updateProduct(trx, id, values, deps.clock());
      await appendAudit(trx, {
        actor: principal,
        action: 'PRODUCT_UPDATED',
        subjectType: 'product',
        subjectId: id,
        detail: changedFields(before as unknown as Record<string, unknown>, values),
        at: deps.clock(),
      });
    })
    .catch((error: unknown) => {
      throw isUniqueViolation(error) ? slugTaken(values.slug ?? '') : error;
    });
  return getProduct(deps, principal, id);
}

/** `{ field: { from, to } }` for each given field whose value differs; for audit entries. */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  columns: Record<string, string> = {},
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, to] of Object.entries(after)) {
    if (to === undefined) continue;
    const from = before[columns[field] ?? field];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  }
  return changes;
}
