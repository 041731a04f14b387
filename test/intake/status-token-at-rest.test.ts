// The status-link token is stored only as a hash. The acknowledgement mail has to carry it, so it
// sits in the queued MAIL_SEND job until the mail is sent; after that no row of any table holds it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import { REMOVED_BODY } from '../../src/mail/jobs.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { startSmtpSink } from '../support/smtp-sink.ts';

/** Every table of the schema whose rows, read as text, contain `needle`. */
async function tablesContaining(db: Kysely<DB>, needle: string): Promise<string[]> {
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

describe(`status-link token at rest (${engine})`, () => {
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let product: Awaited<ReturnType<typeof startTestProduct>>;
  before(async () => {
    sink = await startSmtpSink();
    product = await startTestProduct({ env: { SMTP_URL: sink.url, WORKERS: 'false' } });
  });
  after(async () => {
    await product.stop();
    await sink.close();
  });

  it('is in no table once the acknowledgement mail is sent, only in the mail itself', async () => {
    const response = await product.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: {
        title: 'Doorbell streams video without a session',
        description: 'The RTSP endpoint accepts any request.',
        reporterEmail: 'margaret@example.org',
      },
    });
    assert.equal(response.statusCode, 201, response.body);
    const { statusToken, statusUrl, trackingId } = response.json() as {
      statusToken: string;
      statusUrl: string;
      trackingId: string;
    };

    // Until a worker sends it, the queued job is the one place that holds the token.
    assert.deepEqual(await tablesContaining(product.deps.db, statusToken), ['jobs']);

    assert.equal(await product.workers.runDue(), 1);
    const [mail] = await sink.waitForMails(1);
    assert.ok(mail?.text?.includes(statusUrl), 'the reporter got the link');

    assert.deepEqual(await tablesContaining(product.deps.db, statusToken), []);
    const job = await product.deps.db
      .selectFrom('jobs')
      .select(['state', 'payload'])
      .where('type', '=', 'MAIL_SEND')
      .executeTakeFirstOrThrow();
    assert.equal(job.state, 'done');
    assert.deepEqual(job.payload, {
      to: 'margaret@example.org',
      subject: `[${trackingId}] We received your vulnerability report`,
      messageId: (job.payload as { messageId: string }).messageId,
      text: REMOVED_BODY,
    });
    assert.match((job.payload as { messageId: string }).messageId, new RegExp(`^<ack\\.${trackingId}\\.`));

    const status = await product.app.inject({ method: 'GET', url: `/api/v1/reports/status/${statusToken}` });
    assert.equal(status.statusCode, 200, 'the link still opens the status page');
  });

  it('keeps the body of a mail that could not be sent yet, so a retry can send it', async () => {
    await sink.close();
    const response = await product.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { title: 'Hub pairs with anyone', description: 'No PIN.', reporterEmail: 'kay@example.org' },
    });
    const { statusToken } = response.json() as { statusToken: string };
    assert.equal(await product.workers.runDue(), 1);
    const job = await product.deps.db
      .selectFrom('jobs')
      .select(['state', 'payload', 'last_error'])
      .where('type', '=', 'MAIL_SEND')
      .where('state', '=', 'queued')
      .executeTakeFirstOrThrow();
    assert.ok(job.last_error, 'the failure is recorded');
    assert.ok((job.payload as { text: string }).text.includes(statusToken));
  });
});
