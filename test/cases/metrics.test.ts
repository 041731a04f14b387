// Response-time metrics through the API, on a real database: the cases of metrics-example.ts moved
// through the workflow with a fixed clock, and the numbers checked against the hand-computed example
// of src/cases/metrics/response-times.test.ts (the same cases, the same hours).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Injector } from '../support/auth.ts';
import { signInAs } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import type { TestProductHandle } from './fixtures.ts';
import { call, type MetricsExample, seedMetricsExample } from './metrics-example.ts';

type Stats = { count: number; open: number; medianHours: number | null; p90Hours: number | null };
const stats = (count: number, open: number, medianHours: number | null, p90Hours: number | null): Stats => ({
  count,
  open,
  medianHours,
  p90Hours,
});

describe(`response-time metrics from case events (${engine})`, () => {
  let product: TestProductHandle;
  let now = new Date('2025-12-01T09:00:00.000Z');
  let analyst: Injector;
  let auditor: Injector;
  let example: MetricsExample;

  const metrics = async (query: string, as: Injector = analyst) => {
    const response = await as({ url: `/api/v1/metrics/response-times${query}` });
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  };

  before(async () => {
    product = await startTestProduct({ clock: () => now, demo: false });
    // API tokens do not expire while idle, so the clock can jump between cases.
    analyst = (await (await signInAs(product, 'analyst')).createToken()).inject;
    auditor = (await (await signInAs(product, 'auditor')).createToken()).inject;
    const admin = (await (await signInAs(product, 'admin')).createToken()).inject;
    example = await seedMetricsExample(product, (at) => (now = at), { analyst, admin });
  });
  after(() => product?.stop());

  it('matches the hand-computed example overall, per month and per product', async () => {
    const body = await metrics('?from=2026-01&to=2026-02', auditor);
    assert.equal(body.from, '2026-01');
    assert.equal(body.to, '2026-02');
    assert.equal(body.timeZone, 'UTC');
    assert.deepEqual(body.overall, {
      acknowledge: stats(6, 1, 3.6, 7.5),
      triage: stats(5, 2, 30, 49.2),
      fix: stats(3, 3, 200, 280),
    });
    assert.deepEqual(body.months, [
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
    assert.deepEqual(body.products, [
      {
        productId: example.lamp,
        productName: 'A Lamp',
        acknowledge: stats(4, 0, 3.1, 5.1),
        triage: stats(3, 1, 30, 44.4),
        fix: stats(1, 2, 100, 100),
      },
      {
        productId: example.lock,
        productName: 'B Lock',
        acknowledge: stats(3, 1, 3, 8.2),
        triage: stats(2, 2, 35, 47),
        fix: stats(2, 2, 250, 290),
      },
    ]);
  });

  it('agrees with the database: percentile_cont over the example durations gives the same median and p90', async () => {
    const hours = [1, 2, 3, 4.25, 5.5, 9.5]; // time to acknowledge, overall
    const values = sql.join(hours.map((h) => sql`(${h}::float8)`));
    const { rows } = await sql<{ median: number; p90: number }>`
      select percentile_cont(0.5) within group (order by v) as median,
             percentile_cont(0.9) within group (order by v) as p90
      from (values ${values}) as t(v)`.execute(product.deps.db);
    assert.deepEqual(
      rows.map((r) => [Number(r.median), Number(r.p90)]),
      [[3.625, 7.5]],
    );
    const body = await metrics('?from=2026-01&to=2026-02');
    assert.equal(body.overall.acknowledge.medianHours, 3.6);
    assert.equal(body.overall.acknowledge.p90Hours, 7.5);
  });

  it('keeps to one product when asked: overall and months count only its cases', async () => {
    const body = await metrics(`?from=2026-01&to=2026-02&product=${example.lock}`);
    assert.equal(body.productId, example.lock);
    assert.deepEqual(body.overall, {
      acknowledge: stats(3, 1, 3, 8.2),
      triage: stats(2, 2, 35, 47),
      fix: stats(2, 2, 250, 290),
    });
    assert.deepEqual(
      body.months.map((m: { month: string; acknowledge: Stats }) => [m.month, m.acknowledge.count]),
      [
        ['2026-01', 2],
        ['2026-02', 1],
      ],
    );
    assert.deepEqual(
      body.products.map((p: { productName: string }) => p.productName),
      ['B Lock'],
    );
  });

  it('defaults to the twelve months up to the current one', async () => {
    const body = await metrics('');
    assert.equal(body.from, '2025-04');
    assert.equal(body.to, '2026-03');
    assert.equal(body.months.length, 12);
    assert.equal(body.overall.acknowledge.count + body.overall.acknowledge.open, 9, 'December to March');
    assert.equal(body.overall.acknowledge.open, 1);
    const march = body.months.at(-1);
    assert.deepEqual(march.acknowledge, stats(1, 0, 2, 2));
    assert.deepEqual(body.months[0].acknowledge, stats(0, 0, null, null), 'an empty month');
  });

  it('refuses a malformed month, a range backwards, an unknown product, and changes nothing', async () => {
    const ask = (query: string) => analyst({ url: `/api/v1/metrics/response-times${query}` });
    for (const query of ['?from=2026-13', '?to=2026-1', '?from=26-01', '?product=lamp', '?months=3']) {
      const response = await ask(query);
      assert.equal(response.statusCode, 400, `${query}: ${response.body}`);
    }
    const backwards = await ask('?from=2026-03&to=2026-01');
    assert.equal(backwards.statusCode, 400);
    assert.equal(backwards.json().error, 'VALIDATION_FAILED');
    assert.ok(backwards.json().fields.from);
    const tooLong = await ask('?from=2000-01&to=2026-01');
    assert.equal(tooLong.statusCode, 400);
    const unknown = await ask('?product=00000000-0000-4000-8000-000000000000');
    assert.equal(unknown.statusCode, 400);
    assert.ok(unknown.json().fields.product);
  });

  it("counts months in the policy's time zone: 23:30 UTC on 31 January is February in Berlin", async () => {
    await example.caseOf('2026-01-31T23:30:00Z', {
      reportedProduct: example.lock,
      steps: [{ after: 2, to: 'triage' }],
    });
    let body = await metrics('?from=2026-01&to=2026-02');
    assert.deepEqual(
      body.months.map((m: { acknowledge: Stats }) => m.acknowledge.count),
      [5, 2],
      'in UTC it is a January case',
    );
    const admin = (await signInAs(product, 'admin')).inject;
    await call(admin, 'PUT', '/api/v1/response-policy', { timeZone: 'Europe/Berlin' });
    body = await metrics('?from=2026-01&to=2026-02');
    assert.equal(body.timeZone, 'Europe/Berlin');
    assert.deepEqual(
      body.months.map((m: { acknowledge: Stats }) => m.acknowledge.count),
      [4, 3],
    );
    // February in Berlin: acknowledged after [2, 3, 4.25] hours; p90 h=1.8: 3 + 0.8·1.25 = 4.
    assert.deepEqual(body.months[1].acknowledge, stats(3, 1, 3, 4));
  });
});
