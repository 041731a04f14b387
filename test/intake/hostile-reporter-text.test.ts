// Everything a reporter writes is hostile: a report, a reply and a credit name full of markup,
// script links, bidi controls and homoglyphs stay inert text on the status page and never reach a
// mail at all.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.ts';

type Product = Awaited<ReturnType<typeof startTestProduct>>;

/** "Pаypal" with a Cyrillic а (U+0430): looks like the Latin word, is not. */
const homoglyph = 'P\u0430ypal';
const hostile = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">click</a> javascript:alert(1)',
  '<svg onload=alert(1)>',
  '\u202Egnp.exe',
  homoglyph,
].join(' ');

const form = (fields: Record<string, string>) => ({
  payload: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

/** Every element the page really contains, with its attributes (text that only looks like markup is escaped). */
function tagsOf(page: string) {
  return [...page.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)].map((m) => ({
    name: (m[1] ?? '').toLowerCase(),
    attributes: [...(m[2] ?? '').matchAll(/([^\s=>"'/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)].map(
      (a) => [(a[1] ?? '').toLowerCase(), a[2] ?? a[3] ?? a[4] ?? ''] as const,
    ),
  }));
}

/** No element, attribute or link that could run or load something; bidi controls shown, not obeyed. */
function assertInertHtml(page: string) {
  for (const tag of tagsOf(page)) {
    assert.ok(!['script', 'img', 'svg', 'iframe'].includes(tag.name), `no <${tag.name}> element`);
    for (const [name, value] of tag.attributes) {
      assert.doesNotMatch(name, /^on/i, `no event handler attribute ${name} on <${tag.name}>`);
      if (['href', 'src', 'action'].includes(name)) assert.match(value, /^(\/(?!\/)|#)/, value);
    }
  }
  // As on the report form: a raw control may stay inside a field the reporter edits, nowhere else.
  const shownText = page.replace(/<textarea[^>]*>[^<]*<\/textarea>/g, '').replace(/="[^"]*"/g, '=""');
  assert.ok(!shownText.includes('\u202E'), 'no raw bidi control in the text shown');
}

describe(`hostile reporter text (${engine})`, () => {
  let sink: SmtpSink;
  let product: Product;
  let analyst: TestSession;
  let path: string;
  let reportId: string;

  before(async () => {
    sink = await startSmtpSink();
    product = await startTestProduct({ env: { SMTP_URL: sink.url, WORKERS: 'false' } });
    analyst = await signInAs(product, 'analyst');
    const submitted = await product.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: {
        title: `Title ${hostile}`,
        description: `Description ${hostile}`,
        reporterName: hostile,
        reporterEmail: 'hostile@example.org',
        credit: 'named',
        creditName: hostile,
      },
    });
    assert.equal(submitted.statusCode, 201, submitted.body);
    const { trackingId, statusToken } = submitted.json() as { trackingId: string; statusToken: string };
    path = `/status/${statusToken}`;
    reportId = (
      await product.deps.db
        .selectFrom('reports')
        .select('id')
        .where('tracking_id', '=', trackingId)
        .executeTakeFirstOrThrow()
    ).id;
    const replied = await product.app.inject({
      method: 'POST',
      url: `${path}/replies`,
      ...form({ body: `Reply ${hostile}` }),
    });
    assert.equal(replied.statusCode, 201, replied.body);
  });
  after(async () => {
    await product.stop();
    await sink.close();
  });

  it('shows the report, the reply and the credit name as inert text on the status page', async () => {
    const page = (await product.app.inject({ url: path })).body;
    assertInertHtml(page);
    assert.ok(
      page.includes('Title &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;'),
    );
    assert.ok(page.includes('Reply &lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(page.includes('&lt;a href=&quot;javascript:alert(1)&quot;&gt;click&lt;/a&gt;'));
    assert.ok(page.includes('&lt;svg onload=alert(1)&gt;'));
    assert.match(page, /<span class="ctl" title="invisible character">\[U\+202E\]<\/span>gnp\.exe/);
    assert.ok(page.includes(homoglyph), 'the homoglyph is shown as it is, not turned into Latin letters');
    const credited = page.match(/<p id="credit-current">([\s\S]*?)<\/p>/)?.[1] ?? '';
    assert.match(credited, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, 'the credit name is escaped');
    assert.match(credited, /\[U\+202E\]/, 'and its bidi control revealed');
  });

  it('keeps a refused hostile credit name inert when the form is shown again', async () => {
    const refused = await product.app.inject({
      method: 'POST',
      url: `${path}/credit`,
      ...form({ credit: 'named', creditName: `New ${hostile}` }),
    });
    assert.equal(refused.statusCode, 400);
    assertInertHtml(refused.body);
    assert.ok(refused.body.includes('value="New &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x'));
  });

  it('saves a hostile credit name with consent and still shows it inert', async () => {
    const saved = await product.app.inject({
      method: 'POST',
      url: `${path}/credit`,
      ...form({ credit: 'named', creditName: `Saved ${hostile}`, creditConsent: 'yes' }),
    });
    assert.equal(saved.statusCode, 200, saved.body);
    assertInertHtml(saved.body);
    assert.ok(saved.body.includes('Saved &lt;script&gt;'));
  });

  it('puts none of it in any mail the reporter gets: acknowledgement, link notices, staff messages', async () => {
    const opened = await analyst.inject({ method: 'POST', url: '/api/v1/cases', payload: { reportId } });
    assert.equal(opened.statusCode, 201, opened.body);
    const caseId = opened.json().id as string;
    const other = await product.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { title: `Other ${hostile}`, description: hostile, reporterEmail: 'other@example.org' },
    });
    const otherId = (
      await product.deps.db
        .selectFrom('reports')
        .select('id')
        .where('tracking_id', '=', other.json().trackingId)
        .executeTakeFirstOrThrow()
    ).id;
    const attached = await analyst.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/reports`,
      payload: { reportId: otherId },
    });
    assert.equal(attached.statusCode, 200, attached.body);
    const sent = await analyst.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/reports/${reportId}/messages`,
      payload: { body: 'Could you share the exact payload?' },
    });
    assert.equal(sent.statusCode, 201, sent.body);
    await product.workers.runDue();
    const mails = await sink.waitForMails(5);
    assert.equal(mails.length, 5, 'two acknowledgements, two link notices, one staff message');
    for (const mail of mails) {
      assert.equal(mail.html, false, `${mail.subject}: plain text only`);
      const whole = `${mail.subject}\n${mail.text}`;
      assert.ok(!/[<>]/.test(whole), `${mail.subject}: no markup at all`);
      assert.ok(!whole.includes('\u202E'), `${mail.subject}: no bidi control`);
      assert.ok(!/javascript:|alert\(|onerror|onload/.test(whole), `${mail.subject}: nothing of the report`);
      assert.ok(!whole.includes(homoglyph));
    }
  });
});
