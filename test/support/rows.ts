// Straight reads of a test product's database, for asserting what a request did or did not write.
import type { DB } from '../../src/db/schema.ts';
import type { Product } from '../../src/server.ts';

/** How many rows `table` holds. */
export async function countRows(product: Pick<Product, 'deps'>, table: keyof DB): Promise<number> {
  const row = await product.deps.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
