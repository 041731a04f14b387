// The queries behind the response-time metrics: which cases were received in a span of time, and
// which products each one affects. Their events are read by clock-store.ts, as for the clocks.
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/**
 * Ids of the cases received in [start, end): received is the arrival of the case's earliest report,
 * or the case's creation when it has no report (the same rule as caseFacts).
 */
export async function listCaseIdsReceivedBetween(db: Db, start: Date, end: Date): Promise<string[]> {
  const received = sql<Date>`coalesce(min(reports.created_at), cases.created_at)`;
  const rows = await db
    .selectFrom('cases')
    .leftJoin('case_reports', 'case_reports.case_id', 'cases.id')
    .leftJoin('reports', 'reports.id', 'case_reports.report_id')
    .select('cases.id')
    .groupBy('cases.id')
    .having(received, '>=', start)
    .having(received, '<', end)
    .orderBy('cases.id')
    .execute();
  return rows.map((row) => row.id);
}

export type CaseProducts = { productIds: Map<string, string[]>; productNames: Map<string, string> };

/**
 * The products each case affects: those of its affected models, or, for a case whose affected
 * models are not recorded yet, the products its reports were filed against.
 */
export async function findCaseProducts(db: Db, caseIds: string[]): Promise<CaseProducts> {
  const productIds = new Map<string, string[]>();
  const productNames = new Map<string, string>();
  if (caseIds.length === 0) return { productIds, productNames };
  const rows = await db
    .selectFrom('case_affects')
    .innerJoin('models', 'models.id', 'case_affects.model_id')
    .innerJoin('products', 'products.id', 'models.product_id')
    .select(['case_affects.case_id', 'products.id as product_id', 'products.name as product_name'])
    .select(sql<boolean>`true`.as('from_affects'))
    .where('case_affects.case_id', 'in', caseIds)
    .unionAll(
      db
        .selectFrom('case_reports')
        .innerJoin('reports', 'reports.id', 'case_reports.report_id')
        .innerJoin('products', 'products.id', 'reports.product_id')
        .select(['case_reports.case_id', 'products.id as product_id', 'products.name as product_name'])
        .select(sql<boolean>`false`.as('from_affects'))
        .where('case_reports.case_id', 'in', caseIds),
    )
    .execute();
  const withAffects = new Set(rows.filter((row) => row.from_affects).map((row) => row.case_id));
  for (const row of rows) {
    if (row.from_affects !== withAffects.has(row.case_id)) continue;
    const list = productIds.get(row.case_id) ?? [];
    if (!list.includes(row.product_id)) list.push(row.product_id);
    productIds.set(row.case_id, list);
    productNames.set(row.product_id, row.product_name);
  }
  return { productIds, productNames };
}

export async function productExists(db: Db, productId: string): Promise<boolean> {
  const row = await db.selectFrom('products').select('id').where('id', '=', productId).executeTakeFirst();
  return row !== undefined;
}
