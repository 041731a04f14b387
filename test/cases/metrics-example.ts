// The hand-computed example of src/cases/metrics/response-times.test.ts, made real: two products,
// and nine cases (seven in January and February 2026, one before, one after) moved through the
// workflow by the API while a fixed clock is set to each step's time. Shared by the API test and
// the console test.
import assert from 'node:assert/strict';
import type { Injector } from '../support/auth.ts';
import { submitReport, type TestProductHandle } from './fixtures.ts';

const HOUR = 3_600_000;

/** After seeding, the clock is left here: the default range is then April 2025 to March 2026. */
export const metricsExampleNow = new Date('2026-03-10T12:00:00Z');

export type MetricsExample = {
  lamp: string;
  lock: string;
  lampModel: string;
  lockModel: string;
  /** Opens one more case (see caseOf) on the same product and clock. */
  caseOf(received: string, options: CaseOptions): Promise<string>;
};

type Step = { after: number; to?: string; reason?: string; fixAvailableAfter?: number };
type CaseOptions = { reportedProduct?: string; models?: string[]; steps: Step[] };

export async function call(as: Injector, method: 'POST' | 'PUT' | 'PATCH', url: string, payload: object) {
  const response = await as({ method, url, payload: payload as Record<string, unknown> });
  assert.ok(response.statusCode < 300, `${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

/**
 * Seeds the example. `setNow` moves the product's fixed clock; `analyst` and `admin` must outlive
 * jumps of months (API tokens do, sessions do not).
 */
export async function seedMetricsExample(
  product: TestProductHandle,
  setNow: (at: Date) => void,
  as: { analyst: Injector; admin: Injector },
): Promise<MetricsExample> {
  const { analyst, admin } = as;
  /**
   * A case whose report arrives at `received` (filed against `reportedProduct`), affecting `models`,
   * moved through `steps`, each `after` hours past its arrival by the fixed clock.
   */
  async function caseOf(received: string, options: CaseOptions): Promise<string> {
    const start = new Date(received).getTime();
    setNow(new Date(start));
    const reportId = await submitReport(product, `Case received ${received}`, {
      ...(options.reportedProduct ? { productId: options.reportedProduct } : {}),
    });
    const opened = await call(analyst, 'POST', '/api/v1/cases', { reportId });
    if (options.models) {
      const affects = options.models.map((modelId) => ({ modelId, versionRange: '>= 1.0.0' }));
      await call(analyst, 'PUT', `/api/v1/cases/${opened.id}/affects`, { affects });
    }
    for (const step of options.steps) {
      setNow(new Date(start + step.after * HOUR));
      if (step.to) {
        const body = { to: step.to, ...(step.reason ? { reason: step.reason } : {}) };
        await call(analyst, 'POST', `/api/v1/cases/${opened.id}/transitions`, body);
      }
      if (step.fixAvailableAfter !== undefined) {
        const fixAvailableAt = new Date(start + step.fixAvailableAfter * HOUR).toISOString();
        await call(analyst, 'PATCH', `/api/v1/cases/${opened.id}`, { fixAvailableAt });
      }
    }
    setNow(metricsExampleNow);
    return opened.id;
  }

  setNow(new Date('2025-12-01T09:00:00Z'));
  const lamp = (await call(admin, 'POST', '/api/v1/products', { slug: 'lamp', name: 'A Lamp' })).id;
  const lock = (await call(admin, 'POST', '/api/v1/products', { slug: 'lock', name: 'B Lock' })).id;
  const lampModel = (
    await call(admin, 'POST', `/api/v1/products/${lamp}/models`, { slug: 'lamp-1', name: 'Lamp 1' })
  ).id;
  const lockModel = (
    await call(admin, 'POST', `/api/v1/products/${lock}/models`, { slug: 'lock-1', name: 'Lock 1' })
  ).id;

  const triaged = (ack: number, triage: number): Step[] => [
    { after: ack, to: 'triage' },
    { after: triage, to: 'confirmed' },
    { after: triage, to: 'fixing' },
  ];
  // Outside January and February: one in December, one in March.
  await caseOf('2025-12-20T09:00:00Z', { reportedProduct: lamp, steps: [{ after: 1, to: 'triage' }] });
  // The example's C1 to C7: product A is the lamp, B the lock.
  await caseOf('2026-01-05T09:00:00Z', {
    reportedProduct: lamp,
    steps: [...triaged(2, 24), { after: 100, to: 'fix-available' }],
  });
  await caseOf('2026-01-12T14:00:00Z', { reportedProduct: lamp, steps: triaged(5.5, 30) });
  // Reported against the lamp, but its affected model is the lock's: the affected models win.
  // Its fix date is recorded (300 hours after arrival) while it stays in fixing.
  await caseOf('2026-01-20T08:00:00Z', {
    reportedProduct: lamp,
    models: [lockModel],
    steps: [...triaged(9.5, 50), { after: 320, fixAvailableAfter: 300 }],
  });
  await caseOf('2026-01-31T10:00:00Z', {
    models: [lampModel, lockModel],
    steps: [{ after: 1, to: 'triage' }],
  });
  await caseOf('2026-02-02T09:00:00Z', {
    reportedProduct: lock,
    steps: [...triaged(3, 20), { after: 200, to: 'fix-available' }],
  });
  await caseOf('2026-02-10T16:00:00Z', {
    reportedProduct: lamp,
    steps: [
      { after: 4.25, to: 'triage' },
      { after: 48, to: 'out-of-scope', reason: 'A cloud service, not the device' },
    ],
  });
  await caseOf('2026-02-27T11:00:00Z', { reportedProduct: lock, steps: [] });
  await caseOf('2026-03-03T09:00:00Z', { reportedProduct: lock, steps: [{ after: 2, to: 'triage' }] });
  return { lamp, lock, lampModel, lockModel, caseOf };
}
