// Shared by the case tests: a report submitted through the public API, a case opened from it, and
// the case's events straight from the database.
import assert from 'node:assert/strict';
import type { Injector } from '../support/auth.ts';
import type { startTestProduct } from '../support/product.ts';

export type TestProductHandle = Awaited<ReturnType<typeof startTestProduct>>;

/** Submits a report as a researcher would; returns its id. */
export async function submitReport(
  product: TestProductHandle,
  title: string,
  extra: object = {},
): Promise<string> {
  const response = await product.app.inject({
    method: 'POST',
    url: '/api/v1/reports',
    payload: { title, description: `Details of ${title}`, ...extra },
  });
  assert.equal(response.statusCode, 201, response.body);
  const row = await product.deps.db
    .selectFrom('reports')
    .select('id')
    .where('tracking_id', '=', response.json().trackingId)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Opens a case from a new report; returns the case as the API answered it. */
export async function openCase(product: TestProductHandle, as: Injector, title: string) {
  const reportId = await submitReport(product, title);
  const response = await as({ method: 'POST', url: '/api/v1/cases', payload: { reportId } });
  assert.equal(response.statusCode, 201, response.body);
  return { ...response.json(), reportId };
}

export async function caseEvents(product: TestProductHandle, caseId: string) {
  return product.deps.db
    .selectFrom('case_events')
    .select(['kind', 'from', 'to', 'reason', 'actor'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
}
