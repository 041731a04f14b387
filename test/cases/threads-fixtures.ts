// Shared by the thread tests: a report with its status link, a case opened from it and given a
// supplier, and posts to a thread as JSON or multipart.
import assert from 'node:assert/strict';
import type { Injector } from '../support/auth.ts';
import { multipartBody, type Part } from '../support/multipart.ts';
import type { TestProductHandle } from './fixtures.ts';

export type Thread = 'supplier' | 'internal';

/** A report submitted through the public API, a case opened from it and, if given, its supplier. */
export async function caseWithReport(
  product: TestProductHandle,
  staff: Injector,
  title: string,
  supplierId: string | null,
): Promise<{ caseId: string; reportId: string; statusToken: string; number: string }> {
  const submitted = await product.app.inject({
    method: 'POST',
    url: '/api/v1/reports',
    payload: { title, description: `Details of ${title}`, reporterEmail: 'researcher@example.org' },
  });
  assert.equal(submitted.statusCode, 201, submitted.body);
  const { trackingId, statusToken } = submitted.json();
  const report = await product.deps.db
    .selectFrom('reports')
    .select('id')
    .where('tracking_id', '=', trackingId)
    .executeTakeFirstOrThrow();
  const opened = await staff({ method: 'POST', url: '/api/v1/cases', payload: { reportId: report.id } });
  assert.equal(opened.statusCode, 201, opened.body);
  const caseId = opened.json().id as string;
  if (supplierId) {
    const patched = await staff({ method: 'PATCH', url: `/api/v1/cases/${caseId}`, payload: { supplierId } });
    assert.equal(patched.statusCode, 200, patched.body);
  }
  return { caseId, reportId: report.id, statusToken, number: opened.json().number };
}

export const threadUrl = (caseId: string, thread: string) => `/api/v1/cases/${caseId}/threads/${thread}`;

export const postJson = (as: Injector, caseId: string, thread: string, body: string) =>
  as({ method: 'POST', url: threadUrl(caseId, thread), payload: { body } });

export function postMultipart(as: Injector, caseId: string, thread: string, parts: Part[]) {
  const { payload, headers } = multipartBody(parts);
  return as({ method: 'POST', url: threadUrl(caseId, thread), payload, headers });
}

/** Posts and checks the 201; returns the message as the API answered it. */
export async function post(
  as: Injector,
  caseId: string,
  thread: Thread,
  body: string,
  files: { name: string; content: Buffer | string }[] = [],
  purpose?: 'attachment' | 'fix-material',
) {
  const parts: Part[] = [
    { name: 'body', value: body },
    ...(purpose ? [{ name: 'purpose', value: purpose }] : []),
    ...files.map((file) => ({ name: 'attachments', filename: file.name, content: file.content })),
  ];
  const response = await postMultipart(as, caseId, thread, parts);
  assert.equal(response.statusCode, 201, response.body);
  return response.json() as {
    id: string;
    thread: Thread;
    author: { kind: string; label: string };
    body: string;
    files: { id: string; fileName: string; size: number; sha256: string; purpose: string }[];
  };
}
