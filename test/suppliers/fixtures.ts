// Shared setup for the supplier tests: suppliers and models created straight in the database, so
// each test states only what it is about.
import crypto from 'node:crypto';
import type { Product } from '../../src/server.ts';

type WithDeps = Pick<Product, 'deps'>;

const suffix = () => crypto.randomBytes(4).toString('hex');

export async function addSupplier(
  product: WithDeps,
  values: { name?: string; country?: string | null } = {},
): Promise<{ id: string; slug: string; name: string }> {
  const name = values.name ?? `Supplier ${suffix()}`;
  const slug = `test-${suffix()}`;
  const row = await product.deps.db
    .insertInto('suppliers')
    .values({ slug, name, country: values.country ?? 'VN', contacts: '[]' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, slug, name };
}

/** A model of a demo product (seeded by the test product), linked to `supplierId` when given. */
export async function addModel(
  product: WithDeps,
  options: { productSlug?: string; supplierId?: string; relation?: 'builds' | 'supplies-parts' } = {},
): Promise<{ id: string; name: string; productId: string }> {
  const productRow = await product.deps.db
    .selectFrom('products')
    .select('id')
    .where('slug', '=', options.productSlug ?? 'c200-camera')
    .executeTakeFirstOrThrow();
  const name = `Model ${suffix()}`;
  const model = await product.deps.db
    .insertInto('models')
    .values({ product_id: productRow.id, slug: `m-${suffix()}`, name })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (options.supplierId) {
    await product.deps.db
      .insertInto('model_suppliers')
      .values({ model_id: model.id, supplier_id: options.supplierId, relation: options.relation ?? 'builds' })
      .execute();
  }
  return { id: model.id, name, productId: productRow.id };
}

export async function auditEntries(product: WithDeps, action: string, subjectId: string) {
  return product.deps.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .where('subject_id', '=', subjectId)
    .orderBy('id')
    .execute();
}
