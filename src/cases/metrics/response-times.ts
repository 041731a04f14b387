// Response-time metrics: from each case's facts (when it was received, acknowledged, triaged and
// fixed) to the count, median and 90th percentile of each measure per month of receipt and per
// product. Pure arithmetic, no I/O; the definitions are in docs/metrics.md.
import { type Month, monthOf } from './months.ts';

/** What the metrics need of one case (read from its events by caseFacts, see metrics-report.ts). */
export type MetricCase = {
  receivedAt: Date;
  acknowledgedAt: Date | null;
  triagedAt: Date | null;
  fixAvailableAt: Date | null;
  /** False for a case closed as needing no fix: it is left out of time to fix altogether. */
  fixExpected: boolean;
  /** Every product the case affects; a case affecting two products counts in both. */
  productIds: readonly string[];
};

export const measures = ['acknowledge', 'triage', 'fix'] as const;
export type Measure = (typeof measures)[number];

export type MeasureStats = {
  /** Cases that reached the step (the durations the median and percentile are taken over). */
  count: number;
  /** Cases that have not reached the step yet. */
  open: number;
  /** Hours, 1 decimal; null when no case was measured. */
  medianHours: number | null;
  p90Hours: number | null;
};

export type MeasureSet = Record<Measure, MeasureStats>;
export type ResponseTimes = {
  overall: MeasureSet;
  months: ({ month: Month } & MeasureSet)[];
  products: ({ productId: string } & MeasureSet)[];
};

const HOUR_MS = 3_600_000;

/**
 * The continuous percentile of sorted values, as PostgreSQL's percentile_cont: the value at
 * position p·(n−1) counted from 0, interpolated linearly between the two closest ranks.
 *
 * @example percentileCont([1, 2, 3, 4], 0.5) // 2.5 (position 1.5: halfway between 2 and 3)
 * @example percentileCont([10, 20, 30, 40, 50], 0.9) // 46 (position 3.6: 40 + 0.6 × 10)
 */
export function percentileCont(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const position = p * (sorted.length - 1);
  const lower = Math.floor(position);
  const below = sorted[lower] as number;
  const above = sorted[Math.min(lower + 1, sorted.length - 1)] as number;
  return below + (position - lower) * (above - below);
}

/** Hours rounded to one decimal, halves away from zero (3.75 → 3.8). */
export const roundHours = (hours: number) => Math.round(hours * 10) / 10;

/**
 * Whole hours from `from` to `to`, unrounded. A step recorded before the case was received (a fix
 * date entered as earlier than the report) counts as taking no time, never as negative time.
 */
export const hoursBetween = (from: Date, to: Date) => Math.max(0, to.getTime() - from.getTime()) / HOUR_MS;

const reachedAt = (c: MetricCase, measure: Measure): Date | null =>
  measure === 'acknowledge' ? c.acknowledgedAt : measure === 'triage' ? c.triagedAt : c.fixAvailableAt;

const counts = (c: MetricCase, measure: Measure) => measure !== 'fix' || c.fixExpected;

/** One measure over a group of cases. */
export function measureStats(cases: readonly MetricCase[], measure: Measure): MeasureStats {
  const hours: number[] = [];
  let open = 0;
  for (const c of cases) {
    if (!counts(c, measure)) continue;
    const at = reachedAt(c, measure);
    if (at) hours.push(hoursBetween(c.receivedAt, at));
    else open++;
  }
  hours.sort((a, b) => a - b);
  const median = percentileCont(hours, 0.5);
  const p90 = percentileCont(hours, 0.9);
  return {
    count: hours.length,
    open,
    medianHours: median === null ? null : roundHours(median),
    p90Hours: p90 === null ? null : roundHours(p90),
  };
}

export const measureSet = (cases: readonly MetricCase[]): MeasureSet => ({
  acknowledge: measureStats(cases, 'acknowledge'),
  triage: measureStats(cases, 'triage'),
  fix: measureStats(cases, 'fix'),
});

/**
 * The metrics of the cases received in `months` (local months in `timeZone`): overall, per month
 * (every month listed, empty ones included) and per product (ordered by product id; a case counts
 * once for each product it affects). Cases received outside the months are ignored.
 */
export function responseTimes(
  cases: readonly MetricCase[],
  options: { months: readonly Month[]; timeZone: string },
): ResponseTimes {
  const byMonth = new Map<Month, MetricCase[]>(options.months.map((m) => [m, []]));
  const byProduct = new Map<string, MetricCase[]>();
  const inRange: MetricCase[] = [];
  for (const c of cases) {
    const group = byMonth.get(monthOf(c.receivedAt, options.timeZone));
    if (!group) continue;
    group.push(c);
    inRange.push(c);
    for (const productId of new Set(c.productIds)) {
      const list = byProduct.get(productId) ?? [];
      list.push(c);
      byProduct.set(productId, list);
    }
  }
  return {
    overall: measureSet(inRange),
    months: [...byMonth].map(([month, group]) => ({ month, ...measureSet(group) })),
    products: [...byProduct.keys()]
      .sort()
      .map((productId) => ({ productId, ...measureSet(byProduct.get(productId) ?? []) })),
  };
}
