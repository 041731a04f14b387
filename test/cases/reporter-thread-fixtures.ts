// Shared by the reporter-thread tests: reporters who submit through the public API and follow their
// reports through status links, mails read from a real SMTP sink, and a scan of every table.
import assert from 'node:assert/strict';
import { type Kysely, sql } from 'kysely';
import type { ParsedMail } from 'mailparser';
import type { DB } from '../../src/db/schema.ts';
import type { TestProductHandle } from './fixtures.ts';

export type Reporter = { id: string; trackingId: string; token: string; statusPath: string };

/** Submits a report as a researcher would (JSON API); the reporter keeps the status token. */
export async function submitAsReporter(
  product: TestProductHandle,
  title: string,
  extra: Record<string, unknown> = {},
): Promise<Reporter> {
  const response = await product.app.inject({
    method: 'POST',
    url: '/api/v1/reports',
    payload: { title, description: `Details of ${title}`, ...extra },
  });
  assert.equal(response.statusCode, 201, response.body);
  const { trackingId, statusToken } = response.json() as { trackingId: string; statusToken: string };
  const row = await product.deps.db
    .selectFrom('reports')
    .select('id')
    .where('tracking_id', '=', trackingId)
    .executeTakeFirstOrThrow();
  return { id: row.id, trackingId, token: statusToken, statusPath: `/status/${statusToken}` };
}

/** The status-page path in a mail's text; fails when the mail has none. */
export function statusPathIn(mail: ParsedMail): string {
  const path = mail.text?.match(/\/status\/[A-Za-z0-9_-]{43}(?=\s|$)/)?.[0];
  assert.ok(path, `a status link in: ${mail.text}`);
  return path;
}

export const recipientOf = (mail: ParsedMail) =>
  (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address ?? '';

/** Every table of the schema whose rows, read as text, contain `needle`. */
export async function tablesContaining(db: Kysely<DB>, needle: string): Promise<string[]> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
    order by table_name`.execute(db);
  assert.ok(tables.rows.length > 5, 'the scan sees the tables');
  const found: string[] = [];
  for (const { table_name } of tables.rows) {
    const hits = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(table_name)} as t
      where strpos(t::text, ${needle}) > 0`.execute(db);
    if ((hits.rows[0]?.n ?? 0) > 0) found.push(table_name);
  }
  return found;
}
