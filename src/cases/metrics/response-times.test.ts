import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addMonths, monthOf, monthRangeInstants, monthsBetween } from './months.ts';
import {
  type MeasureStats,
  type MetricCase,
  measureStats,
  percentileCont,
  responseTimes,
} from './response-times.ts';

const HOUR = 3_600_000;
const after = (start: string, hours: number | null) =>
  hours === null ? null : new Date(new Date(start).getTime() + hours * HOUR);

/** A case received at `received`, reaching each step after the given hours (null: not yet). */
function kase(
  received: string,
  hours: { ack: number | null; triage: number | null; fix: number | null },
  productIds: string[],
  fixExpected = true,
): MetricCase {
  return {
    receivedAt: new Date(received),
    acknowledgedAt: after(received, hours.ack),
    triagedAt: after(received, hours.triage),
    fixAvailableAt: after(received, hours.fix),
    fixExpected,
    productIds,
  };
}

const stats = (count: number, open: number, medianHours: number | null, p90Hours: number | null) =>
  ({ count, open, medianHours, p90Hours }) satisfies MeasureStats;

// The hand-computed example (UTC). Hours from receipt to each step; "open" = not reached yet.
//
//   case  month    products  acknowledge  triage  fix
//   C1    2026-01  A         2            24      100
//   C2    2026-01  A         5.5          30      open
//   C3    2026-01  B         9.5          50      300
//   C4    2026-01  A, B      1            open    open
//   C5    2026-02  B         3            20      200
//   C6    2026-02  A         4.25         48      (out of scope: no fix expected, not counted)
//   C7    2026-02  B         open         open    open
//
// Percentile p of n sorted values x0…x(n−1): position h = p·(n−1); x⌊h⌋ + (h−⌊h⌋)·(x⌊h⌋+1 − x⌊h⌋).
//
// Overall
//   acknowledge [1, 2, 3, 4.25, 5.5, 9.5], open 1 (C7)
//     median h=2.5: 3 + 0.5·(4.25−3) = 3.625 → 3.6;  p90 h=4.5: 5.5 + 0.5·(9.5−5.5) = 7.5
//   triage [20, 24, 30, 48, 50], open 2 (C4, C7)
//     median h=2: 30;  p90 h=3.6: 48 + 0.6·(50−48) = 49.2
//   fix [100, 200, 300], open 3 (C2, C4, C7; C6 left out)
//     median h=1: 200;  p90 h=1.8: 200 + 0.8·100 = 280
// 2026-01 (C1–C4)
//   acknowledge [1, 2, 5.5, 9.5], open 0: median h=1.5: 2 + 0.5·3.5 = 3.75 → 3.8;
//     p90 h=2.7: 5.5 + 0.7·4 = 8.3
//   triage [24, 30, 50], open 1: median 30; p90 h=1.8: 30 + 0.8·20 = 46
//   fix [100, 300], open 2: median h=0.5: 200; p90 h=0.9: 100 + 0.9·200 = 280
// 2026-02 (C5–C7)
//   acknowledge [3, 4.25], open 1: median 3.625 → 3.6; p90 h=0.9: 3 + 0.9·1.25 = 4.125 → 4.1
//   triage [20, 48], open 1: median 34; p90 20 + 0.9·28 = 45.2
//   fix [200], open 1 (C7): median 200, p90 200
// Product A (C1, C2, C4, C6)
//   acknowledge [1, 2, 4.25, 5.5], open 0: median 2 + 0.5·2.25 = 3.125 → 3.1;
//     p90 h=2.7: 4.25 + 0.7·1.25 = 5.125 → 5.1
//   triage [24, 30, 48], open 1 (C4): median 30; p90 30 + 0.8·18 = 44.4
//   fix [100], open 2 (C2, C4): median 100, p90 100
// Product B (C3, C4, C5, C7)
//   acknowledge [1, 3, 9.5], open 1: median 3; p90 h=1.8: 3 + 0.8·6.5 = 8.2
//   triage [20, 50], open 2: median 35; p90 20 + 0.9·30 = 47
//   fix [200, 300], open 2: median 250; p90 290
const example: MetricCase[] = [
  kase('2026-01-05T09:00:00Z', { ack: 2, triage: 24, fix: 100 }, ['A']),
  kase('2026-01-12T14:00:00Z', { ack: 5.5, triage: 30, fix: null }, ['A']),
  kase('2026-01-20T08:00:00Z', { ack: 9.5, triage: 50, fix: 300 }, ['B']),
  kase('2026-01-31T10:00:00Z', { ack: 1, triage: null, fix: null }, ['A', 'B']),
  kase('2026-02-02T09:00:00Z', { ack: 3, triage: 20, fix: 200 }, ['B']),
  kase('2026-02-10T16:00:00Z', { ack: 4.25, triage: 48, fix: null }, ['A'], false),
  kase('2026-02-27T11:00:00Z', { ack: null, triage: null, fix: null }, ['B']),
];

describe('response-time metrics', () => {
  it('matches the hand-computed example overall, per month and per product', () => {
    const result = responseTimes(example, { months: ['2026-01', '2026-02'], timeZone: 'UTC' });
    assert.deepEqual(result.overall, {
      acknowledge: stats(6, 1, 3.6, 7.5),
      triage: stats(5, 2, 30, 49.2),
      fix: stats(3, 3, 200, 280),
    });
    assert.deepEqual(result.months, [
      {
        month: '2026-01',
        acknowledge: stats(4, 0, 3.8, 8.3),
        triage: stats(3, 1, 30, 46),
        fix: stats(2, 2, 200, 280),
      },
      {
        month: '2026-02',
        acknowledge: stats(2, 1, 3.6, 4.1),
        triage: stats(2, 1, 34, 45.2),
        fix: stats(1, 1, 200, 200),
      },
    ]);
    assert.deepEqual(result.products, [
      {
        productId: 'A',
        acknowledge: stats(4, 0, 3.1, 5.1),
        triage: stats(3, 1, 30, 44.4),
        fix: stats(1, 2, 100, 100),
      },
      {
        productId: 'B',
        acknowledge: stats(3, 1, 3, 8.2),
        triage: stats(2, 2, 35, 47),
        fix: stats(2, 2, 250, 290),
      },
    ]);
  });

  it('lists every month of the range, empty ones with no median, and ignores cases outside it', () => {
    const result = responseTimes(example, { months: ['2025-12', '2026-01'], timeZone: 'UTC' });
    assert.deepEqual(
      result.months.map((m) => [m.month, m.acknowledge.count, m.acknowledge.medianHours]),
      [
        ['2025-12', 0, null],
        ['2026-01', 4, 3.8],
      ],
    );
    assert.equal(result.overall.acknowledge.count, 4, 'February cases are outside the range');
    assert.deepEqual(result.overall.fix, stats(2, 2, 200, 280));
  });

  it('gives one case its own duration as median and p90', () => {
    const one = [kase('2026-03-01T00:00:00Z', { ack: 7.25, triage: null, fix: null }, [])];
    assert.deepEqual(measureStats(one, 'acknowledge'), stats(1, 0, 7.3, 7.3));
    assert.deepEqual(measureStats(one, 'triage'), stats(0, 1, null, null));
  });

  it('takes the mean of the two middle values for an even count', () => {
    const even = [4, 1, 3, 2].map((h) =>
      kase('2026-03-01T00:00:00Z', { ack: h, triage: null, fix: null }, []),
    );
    // [1, 2, 3, 4]: median h=1.5 → 2.5; p90 h=2.7 → 3 + 0.7·1 = 3.7
    assert.deepEqual(measureStats(even, 'acknowledge'), stats(4, 0, 2.5, 3.7));
  });

  it('reports no median when no case was measured, and counts the open ones', () => {
    const open = [1, 2].map(() => kase('2026-03-01T00:00:00Z', { ack: null, triage: null, fix: null }, []));
    assert.deepEqual(measureStats(open, 'fix'), stats(0, 2, null, null));
    assert.deepEqual(measureStats([], 'fix'), stats(0, 0, null, null));
  });

  it('counts a case affecting two products once in each, and once overall', () => {
    const both = [kase('2026-03-01T00:00:00Z', { ack: 2, triage: null, fix: null }, ['A', 'B', 'A'])];
    const result = responseTimes(both, { months: ['2026-03'], timeZone: 'UTC' });
    assert.deepEqual(
      result.products.map((p) => [p.productId, p.acknowledge.count]),
      [
        ['A', 1],
        ['B', 1],
      ],
    );
    assert.equal(result.overall.acknowledge.count, 1);
  });

  it('counts a step recorded before the case was received as no time at all', () => {
    const early = [kase('2026-03-01T00:00:00Z', { ack: 1, triage: 2, fix: -48 }, [])];
    assert.deepEqual(measureStats(early, 'fix'), stats(1, 0, 0, 0));
  });

  it('interpolates like PostgreSQL percentile_cont', () => {
    assert.equal(percentileCont([10, 20, 30, 40, 50], 0.9), 46);
    assert.equal(percentileCont([1, 2, 3, 4], 0.5), 2.5);
    assert.equal(percentileCont([5], 0.9), 5);
    assert.equal(percentileCont([], 0.5), null);
  });

  it("assigns a case to its month in the maker's time zone", () => {
    const lateEvening = new Date('2026-01-31T23:30:00Z'); // 00:30 on 1 February in Berlin
    assert.equal(monthOf(lateEvening, 'UTC'), '2026-01');
    assert.equal(monthOf(lateEvening, 'Europe/Berlin'), '2026-02');
    const c = kase('2026-01-31T23:30:00Z', { ack: 1, triage: null, fix: null }, []);
    const berlin = responseTimes([c], { months: ['2026-01', '2026-02'], timeZone: 'Europe/Berlin' });
    assert.deepEqual(
      berlin.months.map((m) => m.acknowledge.count),
      [0, 1],
    );
    assert.deepEqual(monthRangeInstants('2026-01', '2026-03', 'Europe/Berlin'), {
      start: new Date('2025-12-31T23:00:00Z'),
      end: new Date('2026-03-31T22:00:00Z'), // 1 April is in summer time (UTC+2)
    });
  });

  it('steps months across years', () => {
    assert.equal(addMonths('2026-01', -1), '2025-12');
    assert.equal(addMonths('2025-03', 11), '2026-02');
    assert.deepEqual(monthsBetween('2025-11', '2026-02'), ['2025-11', '2025-12', '2026-01', '2026-02']);
    assert.deepEqual(monthsBetween('2026-02', '2026-01'), []);
  });
});
