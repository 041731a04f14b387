// The response-time report for a range of months: loads the cases received in it, reads each one's
// facts from its events exactly as the clocks do (caseFacts over findClockInputs), and computes the
// metrics in the maker's time zone.
import type { Db } from '../../db/database.ts';
import { Invalid } from '../../platform/errors.ts';
import { caseFacts, noFixStates } from '../case-facts.ts';
import { findClockInputs } from '../clock-store.ts';
import { loadResponsePolicy } from '../clocks/response-policy.ts';
import { findCases } from '../store.ts';
import { addMonths, type Month, monthOf, monthRangeInstants, monthsBetween } from './months.ts';
import { type MeasureSet, type MetricCase, responseTimes } from './response-times.ts';
import { findCaseProducts, listCaseIdsReceivedBetween, productExists } from './store.ts';

export type MetricsQuery = {
  from?: Month | undefined;
  to?: Month | undefined;
  productId?: string | undefined;
};

export type ResponseTimeReport = {
  from: Month;
  to: Month;
  timeZone: string;
  productId: string | null;
  overall: MeasureSet;
  months: ({ month: Month } & MeasureSet)[];
  products: ({ productId: string; productName: string } & MeasureSet)[];
};

/** The longest range one request may ask for: ten years of months. */
export const MAX_MONTHS = 120;
/** Cases are loaded in batches of this many ids, so no statement carries too many parameters. */
const BATCH = 2000;

function checkedRange(query: MetricsQuery, now: Date, timeZone: string): { from: Month; to: Month } {
  const to = query.to ?? monthOf(now, timeZone);
  const from = query.from ?? addMonths(to, -11);
  if (from > to) throw new Invalid({ from: `must not be after to (${to})` });
  if (monthsBetween(from, to).length > MAX_MONTHS)
    throw new Invalid({ from: `the range may span at most ${MAX_MONTHS} months` });
  return { from, to };
}

async function loadMetricCases(db: Db, ids: string[]) {
  const [rows, inputs, products] = await Promise.all([
    findCases(db, ids),
    findClockInputs(db, ids),
    findCaseProducts(db, ids),
  ]);
  const cases = rows.map((row): MetricCase => {
    const facts = caseFacts(row, inputs.receivedAt.get(row.id), inputs.moves.get(row.id) ?? []);
    return {
      receivedAt: facts.receivedAt,
      acknowledgedAt: facts.acknowledgedAt ?? null,
      triagedAt: facts.triagedAt ?? null,
      fixAvailableAt: facts.fixAvailableAt ?? null,
      fixExpected: !noFixStates.includes(row.state),
      productIds: products.productIds.get(row.id) ?? [],
    };
  });
  return { cases, productNames: products.productNames };
}

/**
 * Time to acknowledge, triage and fix for the cases received from `from` to `to` (default: the
 * twelve months up to the current one), optionally only those affecting one product.
 */
export async function responseTimeReport(
  db: Db,
  query: MetricsQuery,
  now: Date,
): Promise<ResponseTimeReport> {
  const policy = await loadResponsePolicy(db);
  const { timeZone } = policy;
  const { from, to } = checkedRange(query, now, timeZone);
  const productId = query.productId ?? null;
  if (productId) {
    if (!(await productExists(db, productId))) throw new Invalid({ product: 'names no product' });
  }
  const { start, end } = monthRangeInstants(from, to, timeZone);
  const ids = await listCaseIdsReceivedBetween(db, start, end);
  let cases: MetricCase[] = [];
  const names = new Map<string, string>();
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = await loadMetricCases(db, ids.slice(i, i + BATCH));
    cases = cases.concat(batch.cases);
    for (const [id, name] of batch.productNames) names.set(id, name);
  }
  if (productId) cases = cases.filter((c) => c.productIds.includes(productId));
  const metrics = responseTimes(cases, { months: monthsBetween(from, to), timeZone });
  const products = metrics.products
    .filter((p) => !productId || p.productId === productId)
    .map((p) => ({ ...p, productName: names.get(p.productId) ?? p.productId }))
    .sort((a, b) => a.productName.localeCompare(b.productName) || a.productId.localeCompare(b.productId));
  return { from, to, timeZone, productId, overall: metrics.overall, months: metrics.months, products };
}
