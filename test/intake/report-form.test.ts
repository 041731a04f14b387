import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sha256Hex } from '../../src/platform/clock.ts';
import { multipartBody, type Part } from '../support/multipart.ts';
import { engine, startTestProduct, storedBlobs } from '../support/product.ts';

type Product = Awaited<ReturnType<typeof startTestProduct>>;

const urlencoded = (fields: Record<string, string>) => ({
  payload: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

/** The value a browser would put in the input named `name` (attribute value, entities decoded). */
function inputValue(page: string, name: string): string | undefined {
  const tag = page.match(new RegExp(`<input[^>]*\\bname="${name}"[^>]*>`))?.[0];
  const value = tag?.match(/\bvalue="([^"]*)"/)?.[1];
  return value === undefined ? undefined : decodeEntities(value);
}

function textareaValue(page: string, name: string): string | undefined {
  const value = page.match(new RegExp(`<textarea[^>]*\\bname="${name}"[^>]*>([^<]*)</textarea>`))?.[1];
  return value === undefined ? undefined : decodeEntities(value);
}

const decodeEntities = (text: string) =>
  text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&#96;', '`')
    .replaceAll('&amp;', '&');

const BIDI = /[\u202A-\u202E\u2066-\u2069]/;

/** Every element the page really contains, with its attributes (text that only looks like markup is escaped). */
function tagsOf(page: string) {
  return [...page.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)].map((m) => ({
    name: (m[1] ?? '').toLowerCase(),
    attributes: [...(m[2] ?? '').matchAll(/([^\s=>"'/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)].map(
      (a) => [(a[1] ?? '').toLowerCase(), a[2] ?? a[3] ?? a[4] ?? ''] as const,
    ),
  }));
}

describe(`report form at /report (${engine})`, () => {
  let product: Product;
  before(async () => {
    product = await startTestProduct();
  });
  after(() => product.stop());

  const count = async (table: 'reports' | 'attachments' | 'jobs' | 'report_events') =>
    (
      await product.deps.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
  const snapshot = async () => ({
    reports: await count('reports'),
    attachments: await count('attachments'),
    jobs: await count('jobs'),
    events: await count('report_events'),
    blobs: storedBlobs(product.dataDir).length,
    incoming: fs.readdirSync(path.join(product.dataDir, 'blobs', 'incoming')).length,
  });

  const submit = (request: { payload: string | Buffer; headers: Record<string, string> }) =>
    product.app.inject({ method: 'POST', url: '/report', ...request });

  /** The tracking id and status link shown on the acknowledgement page, checked against the stored row. */
  async function acknowledged(page: string) {
    const trackingId = page.match(/<strong id="tracking-id">([^<]+)<\/strong>/)?.[1];
    const statusUrl = page.match(/<a class="token" id="status-link" href="([^"]+)">/)?.[1];
    assert.ok(trackingId, 'the page shows the tracking id');
    assert.ok(statusUrl, 'the page shows the status link');
    assert.match(trackingId, /^VR-\d{4}-\d{4,}$/);
    const token = statusUrl.slice(`${product.config.publicUrl}/status/`.length);
    assert.equal(statusUrl, `${product.config.publicUrl}/status/${token}`);
    assert.ok(page.includes(`>${statusUrl}</a>`), 'the link is also shown as text to copy');
    const row = await product.deps.db
      .selectFrom('reports')
      .selectAll()
      .where('tracking_id', '=', trackingId)
      .executeTakeFirstOrThrow();
    assert.equal(row.status_token_hash, sha256Hex(token), 'the link opens this report');
    return { trackingId, row };
  }

  it('shows every field of a report, with the demo products and "other" to choose from', async () => {
    const response = await product.app.inject({ method: 'GET', url: '/report' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/html; charset=utf-8/);
    const page = response.body;
    assert.match(page, /<form method="post" action="\/report" enctype="multipart\/form-data"/);
    for (const name of ['title', 'productName', 'version', 'cvssVector', 'reporterName', 'creditName']) {
      assert.match(page, new RegExp(`<input type="text" id="${name}" name="${name}" value=""`), name);
      assert.match(page, new RegExp(`<label for="${name}">`), `${name} has a label`);
    }
    for (const name of ['description', 'stepsToReproduce', 'impact']) {
      assert.match(page, new RegExp(`<textarea id="${name}" name="${name}"[^>]*></textarea>`), name);
    }
    assert.match(page, /<input type="email" id="reporterEmail" name="reporterEmail" value=""/);
    assert.match(page, /<input type="date" id="preferredDisclosureDate" name="preferredDisclosureDate"/);
    assert.match(page, /<input type="checkbox" name="encrypted" value="true">/);
    assert.match(page, /<input type="file" id="attachments" name="attachments" multiple>/);
    assert.match(page, /<input type="radio" name="credit" value="named" checked>/);
    assert.match(page, /<input type="radio" name="credit" value="anonymous">/);
    assert.match(
      page,
      /<div class="trap" aria-hidden="true">.*<input type="text" id="website" name="website" tabindex="-1" autocomplete="off" value="">/,
    );

    const select = page.match(/<select id="productId" name="productId">([\s\S]*?)<\/select>/)?.[1];
    assert.ok(select, 'a product select');
    const options = [...select.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((m) => ({
      value: m[1],
      label: m[2],
    }));
    const products = await product.deps.db.selectFrom('products').select(['id', 'name']).execute();
    assert.ok(products.length >= 5, 'the demo products are seeded');
    for (const p of products) {
      assert.ok(
        options.some((o) => o.value === p.id && o.label === p.name),
        `${p.name} is listed with its id`,
      );
    }
    assert.equal(options.at(0)?.value, '', 'nothing is chosen at first');
    assert.equal(options.at(-1)?.value, 'other');
    assert.equal(options.length, products.length + 2);
  });

  it('loads no script and nothing from another origin', async () => {
    const page = (await product.app.inject({ method: 'GET', url: '/report' })).body;
    assert.doesNotMatch(page, /<script/i);
    assert.doesNotMatch(page, /\son[a-z]+\s*=/i, 'no inline event handlers');
    const urls = [...page.matchAll(/\s(?:src|href|action)="([^"]*)"/g)].map((m) => m[1] ?? '');
    assert.ok(urls.length > 5, 'the page has links to check');
    for (const url of urls) {
      assert.match(url, /^(\/(?!\/)|#)/, `${url} is a same-origin path`);
    }
  });

  it('stores an urlencoded report and shows the tracking id and the status link', async () => {
    const [camera] = await product.deps.db.selectFrom('products').select('id').orderBy('name').execute();
    assert.ok(camera);
    const response = await submit(
      urlencoded({
        title: 'Default telnet password',
        productId: camera.id,
        version: '1.2.3',
        description: 'Telnet on port 23 accepts root/admin.\r\nSecond line.',
        reporterName: 'Ada',
        credit: 'named',
        website: '',
      }),
    );
    assert.equal(response.statusCode, 201, response.body);
    const { row } = await acknowledged(response.body);
    assert.equal(row.title, 'Default telnet password');
    assert.equal(row.product_id, camera.id);
    assert.equal(row.description, 'Telnet on port 23 accepts root/admin.\nSecond line.');
    assert.equal(row.source, 'form');
    assert.equal(row.credit, 'named');
    assert.doesNotMatch(response.body, /acknowledgement mail/, 'no mail is promised without an address');
  });

  it('stores a multipart report with its attachments before showing the acknowledgement', async () => {
    const capture = Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 9, 9, 9]);
    const { payload, headers } = multipartBody([
      { name: 'title', value: 'BLE replay' },
      { name: 'productId', value: 'other' },
      { name: 'productName', value: 'Garage opener G7' },
      { name: 'description', value: 'A captured unlock frame works again.' },
      { name: 'reporterEmail', value: 'researcher@example.org' },
      { name: 'credit', value: 'anonymous' },
      { name: 'website', value: '' },
      {
        name: 'attachments',
        filename: 'unlock.pcap',
        type: 'application/vnd.tcpdump.pcap',
        content: capture,
      },
      { name: 'attachments', filename: 'poc.py', type: 'text/x-python', content: 'print("poc")\n' },
    ]);
    const response = await submit({ payload, headers });
    assert.equal(response.statusCode, 201, response.body);
    const { row } = await acknowledged(response.body);
    assert.equal(row.product_id, null);
    assert.equal(row.product_text, 'Garage opener G7');
    assert.equal(row.reporter_email, 'researcher@example.org');
    assert.match(response.body, /acknowledgement mail/);
    const files = await product.deps.db
      .selectFrom('attachments')
      .select(['file_name', 'sha256', 'size', 'message_id'])
      .where('report_id', '=', row.id)
      .orderBy('file_name')
      .execute();
    assert.deepEqual(
      files.map((f) => [f.file_name, f.size, f.message_id]),
      [
        ['poc.py', 13, null],
        ['unlock.pcap', capture.length, null],
      ],
    );
    assert.deepEqual(fs.readFileSync(product.deps.blobs.pathOf(sha256Hex(capture))), capture);
  });

  it('re-shows the form with 400, the entered values, a message beside each bad field and a summary', async () => {
    const before = await snapshot();
    const entered = {
      title: '<b>Bold & "quoted"</b>',
      productName: "Cam 'X' <v2>",
      description: '',
      stepsToReproduce: '1. open <http://cam/>\n2. & done',
      reporterEmail: 'not-an-email',
      cvssVector: 'CVSS:3.1/AV:N',
      credit: 'anonymous',
      website: '',
    };
    const response = await submit(urlencoded(entered));
    assert.equal(response.statusCode, 400, response.body);
    const page = response.body;
    assert.match(
      page,
      /<input type="text" id="title" name="title" value="&lt;b&gt;Bold &amp; &quot;quoted&quot;&lt;\/b&gt;"/,
    );
    assert.equal(inputValue(page, 'title'), entered.title);
    assert.equal(inputValue(page, 'productName'), entered.productName);
    assert.equal(inputValue(page, 'reporterEmail'), entered.reporterEmail);
    assert.equal(inputValue(page, 'cvssVector'), entered.cvssVector);
    assert.equal(textareaValue(page, 'stepsToReproduce'), entered.stepsToReproduce);
    assert.match(page, /<input type="radio" name="credit" value="anonymous" checked>/, 'the choice is kept');

    for (const name of ['description', 'reporterEmail', 'cvssVector']) {
      assert.match(
        page,
        new RegExp(
          `<div class="field invalid">\\s*<label for="${name}">[\\s\\S]*?<p class="error" id="${name}-error">[^<]+</p>\\s*<(input|textarea)[^>]*aria-describedby="[^"]*${name}-error"`,
        ),
        `${name} has its message beside it`,
      );
    }
    assert.match(page, /<p class="error" id="description-error">Description is required<\/p>/);
    assert.doesNotMatch(page, /id="title-error"/, 'a good field has no message');
    const summary = page.match(/<div class="errors" role="alert">([\s\S]*?)<\/div>/)?.[1];
    assert.ok(summary, 'a summary at the top');
    assert.match(summary, /3 fields need attention/);
    for (const name of ['description', 'reporterEmail', 'cvssVector']) {
      assert.match(summary, new RegExp(`<a href="#${name}">`), `the summary links to ${name}`);
    }
    assert.deepEqual(await snapshot(), before, 'nothing is stored');
  });

  describe('hostile input', () => {
    const hostile = [
      '<script>alert(1)</script>',
      '"><img src=x onerror=alert(2)>',
      "'><svg onload=alert(3)>",
      '<a href="javascript:alert(4)">x</a>',
      '</textarea><iframe src=//evil.example>',
      '`{{alert(5)}}`',
      '\u202Egnp.exe\u2066',
    ].join(' ');
    const textFields = [
      'title',
      'productName',
      'version',
      'description',
      'stepsToReproduce',
      'impact',
      'cvssVector',
      'reporterName',
      'reporterEmail',
      'creditName',
      'preferredDisclosureDate',
    ];
    const everyField = {
      ...Object.fromEntries(textFields.map((name) => [name, hostile])),
      productId: hostile,
      encrypted: hostile,
      credit: hostile,
      website: hostile,
    };

    function assertInert(page: string) {
      for (const tag of tagsOf(page)) {
        assert.ok(!['script', 'img', 'svg', 'iframe'].includes(tag.name), `no <${tag.name}> element`);
        for (const [name, value] of tag.attributes) {
          assert.doesNotMatch(name, /^on/i, `no event handler attribute ${name} on <${tag.name}>`);
          if (['href', 'src', 'action'].includes(name)) assert.match(value, /^(\/(?!\/)|#)/, value);
        }
      }
      assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the text is shown escaped');
      assert.ok(page.includes('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;'));
      assert.ok(page.includes('&#39;&gt;&lt;svg onload=alert(3)&gt;'));
      assert.ok(page.includes('&lt;a href=&quot;javascript:alert(4)&quot;&gt;'));
      assert.ok(page.includes('&lt;/textarea&gt;&lt;iframe'));
      const shownText = page.replace(/<textarea[^>]*>[^<]*<\/textarea>/g, '').replace(/="[^"]*"/g, '=""');
      assert.doesNotMatch(shownText, BIDI, 'bidi controls stay inside the fields the reporter edits');
    }

    for (const [encoding, build] of [
      ['urlencoded', () => urlencoded(everyField)],
      [
        'multipart',
        () => multipartBody(Object.entries(everyField).map(([name, value]): Part => ({ name, value }))),
      ],
    ] as const) {
      it(`re-shows hostile text from every field (${encoding}) escaped, never as markup`, async () => {
        const before = await snapshot();
        const response = await submit(build());
        assert.equal(response.statusCode, 400, response.body);
        assertInert(response.body);
        for (const name of textFields) {
          const shown = inputValue(response.body, name) ?? textareaValue(response.body, name);
          assert.equal(shown, hostile, `${name} keeps exactly what was typed`);
        }
        assert.equal(inputValue(response.body, 'website'), '', 'the trap is shown empty again');
        assert.match(response.body, /id="productId-error"/);
        assert.match(response.body, /id="reporterEmail-error"/);
        assert.deepEqual(await snapshot(), before);
      });
    }

    it('shows a hostile field name in the summary escaped', async () => {
      const name = '<script>alert(1)</script><img src=x onerror=alert(2)>';
      const response = await submit(urlencoded({ title: 't', description: 'd', [name]: 'x' }));
      assert.equal(response.statusCode, 400, response.body);
      assert.doesNotMatch(response.body, /<script|<img/i);
      assert.ok(response.body.includes('<a href="#&lt;script&gt;alert(1)&lt;/script&gt;'), response.body);
    });

    it('stores hostile text verbatim and acknowledges without echoing it', async () => {
      const valid = {
        title: hostile,
        productName: hostile,
        version: hostile.slice(0, 100),
        description: hostile,
        stepsToReproduce: hostile,
        impact: hostile,
        reporterName: hostile,
        creditName: hostile,
        credit: 'named',
      };
      const response = await submit(urlencoded(valid));
      assert.equal(response.statusCode, 201, response.body);
      assert.doesNotMatch(response.body, /<script|<img|<svg|<iframe|javascript:|\u202E/i);
      const { row } = await acknowledged(response.body);
      assert.equal(row.title, hostile.trim());
      assert.equal(row.steps, hostile.trim());
      assert.equal(row.credit_name, hostile.trim());
    });
  });

  it('refuses too many files with 413, re-shows the form and stores nothing', async () => {
    const before = await snapshot();
    const { payload, headers } = multipartBody([
      { name: 'title', value: 'Many <files>' },
      { name: 'description', value: 'See the attached logs.' },
      ...Array.from({ length: product.config.maxAttachments + 1 }, (_, i) => ({
        name: 'attachments',
        filename: `log${i}.txt`,
        content: `log ${i}\n`,
      })),
    ]);
    const response = await submit({ payload, headers });
    assert.equal(response.statusCode, 413, response.body);
    assert.match(response.body, /<div class="errors" role="alert">/);
    assert.match(response.body, /Your report was not sent\. Too many attachments: at most 10/);
    assert.match(response.body, /<form method="post" action="\/report"/);
    assert.equal(inputValue(response.body, 'title'), 'Many <files>', 'what was typed is kept');
    assert.deepEqual(await snapshot(), before);
  });

  it('refuses a filled honeypot with 400 and stores nothing', async () => {
    const before = await snapshot();
    for (const request of [
      urlencoded({ title: 'Cheap watches', description: 'Buy now', website: 'http://spam.example' }),
      multipartBody([
        { name: 'title', value: 'Cheap watches' },
        { name: 'description', value: 'Buy now' },
        { name: 'website', value: 'http://spam.example' },
        { name: 'attachments', filename: 'spam.txt', content: 'spam' },
      ]),
    ]) {
      const response = await submit(request);
      assert.equal(response.statusCode, 400, response.body);
      assert.match(response.body, /<div class="errors" role="alert">/);
      assert.equal(inputValue(response.body, 'website'), '');
      assert.doesNotMatch(response.body, /spam\.example/);
    }
    assert.deepEqual(await snapshot(), before);
  });
});
