import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { sha256Hex } from '../../src/platform/clock.ts';
import { multipartBody } from '../support/multipart.ts';
import { engine, startTestProduct } from '../support/product.ts';

type Product = Awaited<ReturnType<typeof startTestProduct>>;

const urlencoded = (fields: Record<string, string>) => ({
  payload: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

const hostile = '<script>alert(1)</script> "><img src=x onerror=alert(2)> \u202Egnp.exe';

describe(`reporter status page (${engine})`, () => {
  let product: Product;
  /** The report submitted through the form, as its reporter knows it. */
  let report: { trackingId: string; statusPath: string; token: string; id: string };

  before(async () => {
    product = await startTestProduct();
    const response = await product.app.inject({
      method: 'POST',
      url: '/report',
      ...urlencoded({ title: `Debug UART open ${hostile}`, description: 'Root shell on the UART pins.' }),
    });
    assert.equal(response.statusCode, 201, response.body);
    const statusUrl = response.body.match(/id="status-link" href="([^"]+)"/)?.[1];
    const trackingId = response.body.match(/id="tracking-id">([^<]+)</)?.[1];
    assert.ok(statusUrl && trackingId, 'the acknowledgement shows the link and the tracking id');
    const statusPath = new URL(statusUrl).pathname;
    const token = statusPath.replace('/status/', '');
    const row = await product.deps.db
      .selectFrom('reports')
      .select('id')
      .where('tracking_id', '=', trackingId)
      .executeTakeFirstOrThrow();
    report = { trackingId, statusPath, token, id: row.id };
  });
  after(() => product.stop());

  const count = async (table: 'report_messages' | 'attachments' | 'report_events') =>
    (
      await product.deps.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('report_id', '=', report.id)
        .executeTakeFirstOrThrow()
    ).n;
  const snapshot = async () => ({
    messages: await count('report_messages'),
    attachments: await count('attachments'),
    events: await count('report_events'),
  });
  const reply = (request: { payload: string | Buffer; headers: Record<string, string> }) =>
    product.app.inject({ method: 'POST', url: `${report.statusPath}/replies`, ...request });

  it('opens from the link shown after submission, uncached, with the status and the timeline', async () => {
    const response = await product.app.inject({ method: 'GET', url: report.statusPath });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.match(response.body, new RegExp(`<h1>Report ${report.trackingId}</h1>`));
    assert.match(
      response.body,
      /<dd id="report-status">Received: waiting for our security team to review it<\/dd>/,
    );
    const timeline = response.body.match(/<ol class="timeline">([\s\S]*?)<\/ol>/)?.[1];
    assert.ok(timeline);
    assert.match(timeline, /<li><time datetime="[^"]+">[^<]+ UTC<\/time> Report received<\/li>/);
    assert.match(response.body, /<form method="post" action="\/status\/[A-Za-z0-9_-]{43}\/replies"/);
  });

  it('shows the hostile title escaped and its bidi controls revealed', async () => {
    const page = (await product.app.inject({ method: 'GET', url: report.statusPath })).body;
    assert.doesNotMatch(page, /<script|<img/);
    assert.ok(
      page.includes('&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(2)&gt;'),
    );
    assert.doesNotMatch(page, /\u202E/);
    assert.ok(page.includes('<span class="ctl" title="invisible character">[U+202E]</span>gnp.exe'));
  });

  for (const token of [
    'x'.repeat(43),
    'abc',
    '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    '..%2F..%2Fetc%2Fpasswd',
    `${'A'.repeat(43)}${'-trailing'.repeat(3)}`,
    'y'.repeat(300),
  ]) {
    it(`answers a status link with an unknown or malformed token (${token.slice(0, 20)}…) with a 404 page`, async () => {
      const response = await product.app.inject({
        method: 'GET',
        url: `/status/${token}`,
        headers: { accept: 'text/html' },
      });
      assert.equal(response.statusCode, 404, response.body);
      assert.match(String(response.headers['content-type']), /^text\/html/);
      assert.match(response.body, /<h1>Not found<\/h1>/);
      assert.doesNotMatch(response.body, /<script/);
      assert.doesNotMatch(response.body, /\.ts:\d+|node_modules|node:internal|\n\s+at /, 'no stack trace');
      assert.ok(response.headers['content-security-policy'], 'the usual security headers');
    });
  }

  it('stores a urlencoded reply and shows it, escaped, in the conversation', async () => {
    const body = `The UART also prints the Wi-Fi key.\n${hostile}`;
    const response = await reply(urlencoded({ body }));
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.match(response.body, /Your reply was sent to the security team\./);
    const stored = await product.deps.db
      .selectFrom('report_messages')
      .selectAll()
      .where('report_id', '=', report.id)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(stored.author, 'reporter');
    assert.equal(stored.body, body);

    const page = (await product.app.inject({ method: 'GET', url: report.statusPath })).body;
    const conversation = page.slice(page.indexOf('<h2>Conversation</h2>'), page.indexOf('<h2>Reply</h2>'));
    assert.match(conversation, /<strong>You<\/strong>/);
    assert.ok(
      conversation.includes('The UART also prints the Wi-Fi key.\n&lt;script&gt;alert(1)&lt;/script&gt;'),
    );
    assert.doesNotMatch(page, /<script|<img/);
    assert.match(page, /You sent a reply<\/li>/, 'the timeline shows the reply');
  });

  it('stores a multipart reply with two attachments linked to its message', async () => {
    const before = await snapshot();
    const { payload, headers } = multipartBody([
      { name: 'body', value: 'Logs from two boots attached.' },
      { name: 'attachments', filename: 'boot-1.log', type: 'text/plain', content: 'U-Boot 2020.01\n' },
      {
        name: 'attachments',
        filename: '<img src=x>boot 2.log',
        type: 'text/plain',
        content: 'U-Boot 2021.04\n',
      },
    ]);
    const response = await reply({ payload, headers });
    assert.equal(response.statusCode, 201, response.body);
    assert.deepEqual(await snapshot(), {
      messages: before.messages + 1,
      attachments: before.attachments + 2,
      events: before.events + 1,
    });
    const message = await product.deps.db
      .selectFrom('report_messages')
      .select('id')
      .where('report_id', '=', report.id)
      .where('body', '=', 'Logs from two boots attached.')
      .executeTakeFirstOrThrow();
    const files = await product.deps.db
      .selectFrom('attachments')
      .select(['file_name', 'message_id', 'sha256'])
      .where('message_id', '=', message.id)
      .execute();
    const byName = new Map(files.map((f) => [f.file_name, f.sha256]));
    assert.deepEqual([...byName.keys()].sort(), ['_img src_x_boot 2.log', 'boot-1.log']);
    assert.equal(byName.get('boot-1.log'), sha256Hex('U-Boot 2020.01\n'));
    assert.equal(
      (await product.deps.blobs.read(sha256Hex('U-Boot 2021.04\n'))).toString(),
      'U-Boot 2021.04\n',
    );

    const page = (await product.app.inject({ method: 'GET', url: report.statusPath })).body;
    const panel = page.match(/Logs from two boots attached\.<\/p><ul class="files">(.*?)<\/ul>/)?.[1];
    assert.ok(panel, 'the files are listed under the message');
    assert.match(panel, /<li>boot-1\.log \(15 bytes\)<\/li>/);
    assert.match(panel, /<li>_img src_x_boot 2\.log \(15 bytes\)<\/li>/);
  });

  for (const [name, request] of [
    ['an empty urlencoded reply', () => urlencoded({ body: '' })],
    ['a reply of only spaces', () => urlencoded({ body: ' \r\n\t ' })],
    [
      'an empty multipart reply with an empty file input',
      () =>
        multipartBody([
          { name: 'body', value: '' },
          { name: 'attachments', filename: '', content: '' },
        ]),
    ],
  ] as const) {
    it(`refuses ${name} with 400 and a message, storing nothing`, async () => {
      const before = await snapshot();
      const response = await reply(request());
      assert.equal(response.statusCode, 400, response.body);
      assert.match(
        response.body,
        /<p class="error" id="body-error">Message is empty: write a message or attach a file<\/p>/,
      );
      assert.match(
        response.body,
        new RegExp(`<h1>Report ${report.trackingId}</h1>`),
        'the page is shown again',
      );
      assert.deepEqual(await snapshot(), before);
    });
  }

  it('refuses too many reply attachments with 413 and keeps the message typed', async () => {
    const before = await snapshot();
    const { payload, headers } = multipartBody([
      { name: 'body', value: 'Here are <all> the logs' },
      ...Array.from({ length: product.config.maxAttachments + 1 }, (_, i) => ({
        name: 'attachments',
        filename: `log${i}.txt`,
        content: `log ${i}`,
      })),
    ]);
    const response = await reply({ payload, headers });
    assert.equal(response.statusCode, 413, response.body);
    assert.match(response.body, /Too many attachments: at most 10/);
    assert.match(response.body, /<textarea id="body" name="body">Here are &lt;all&gt; the logs<\/textarea>/);
    assert.deepEqual(await snapshot(), before);
  });

  it('gives the same status, timeline and conversation as JSON at /api/v1/reports/status/:token', async () => {
    const response = await product.app.inject({
      method: 'GET',
      url: `/api/v1/reports/status/${report.token}`,
    });
    assert.equal(response.statusCode, 200, response.body);
    const status = response.json();
    assert.equal(status.trackingId, report.trackingId);
    assert.equal(status.status, 'received');
    assert.equal(status.statusText, 'Received: waiting for our security team to review it');
    assert.ok(!Number.isNaN(Date.parse(status.receivedAt)));
    assert.equal(status.events[0].kind, 'received');
    assert.ok(status.events.some((e: { kind: string }) => e.kind === 'reporter_replied'));
    const bodies = status.messages.map((m: { author: string; body: string }) => `${m.author}: ${m.body}`);
    assert.ok(bodies.includes(`reporter: The UART also prints the Wi-Fi key.\n${hostile}`));
    assert.ok(bodies.includes('reporter: Logs from two boots attached.'));

    const unknown = await product.app.inject({
      method: 'GET',
      url: `/api/v1/reports/status/${'x'.repeat(43)}`,
    });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error, 'NOT_FOUND');
  });

  it('keeps only the SHA-256 of the token in the database, never the token', async () => {
    const stored = await product.deps.db
      .selectFrom('reports')
      .select('status_token_hash')
      .where('id', '=', report.id)
      .executeTakeFirstOrThrow();
    assert.equal(stored.status_token_hash, sha256Hex(report.token));
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(product.deps.db);
    assert.ok(tables.rows.length > 5);
    for (const { table_name } of tables.rows) {
      const rows = await sql<{
        row: string;
      }>`select row_to_json(t)::text as row from ${sql.table(table_name)} t`.execute(product.deps.db);
      for (const { row } of rows.rows)
        assert.ok(!row.includes(report.token), `${table_name} holds the token`);
    }
  });
});
