// A researcher in real Chromium with JavaScript off: finds the report form through security.txt, reports
// with a file, follows the private status link and replies; hostile text stays text. Full-page
// screenshots land in out/screenshots/ for a human to look at.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { sha256Hex } from '../../src/platform/clock.ts';
import {
  haveChromium,
  launchChromium,
  screenshots,
  skipWithoutChromium as skip,
  textOf,
} from '../support/chromium.ts';
import { engine, freePort, startTestProduct } from '../support/product.ts';

const TRACKING_ID = /^VR-\d{4}-\d{4,}$/;
const VALID_CVSS = 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: path.join(screenshots, name), fullPage: true });
}

/** Clicks a submit button and waits until the answer to the POST is the loaded page. */
async function submit(page: Page, button: string): Promise<Response> {
  const response = page.waitForResponse(
    (r) => r.request().method() === 'POST' && r.request().isNavigationRequest(),
  );
  const committed = page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame());
  await page.click(button);
  const answer = await response;
  await committed;
  await page.waitForLoadState('load');
  return answer;
}

async function followStatusLink(page: Page): Promise<Response> {
  const href = await page.getAttribute('#status-link', 'href');
  assert.ok(href, 'the acknowledgement links to the status page');
  const response = page.waitForResponse((r) => r.url() === href);
  await page.click('#status-link');
  await page.waitForURL(href);
  return response;
}

function assertCsp(response: Response | null, what: string) {
  const csp = response?.headers()['content-security-policy'];
  assert.ok(csp, `${what} has a Content-Security-Policy header`);
  assert.match(csp, /default-src 'none'/, `${what}: ${csp}`);
  assert.doesNotMatch(csp, /script-src/, `${what} allows no scripts: ${csp}`);
}

async function assertNoActiveMarkup(page: Page, where: string) {
  for (const selector of ['script', 'img[onerror]', 'svg', '[onload]', '[onmouseover]', 'iframe']) {
    assert.equal(await page.locator(`main ${selector}`).count(), 0, `${where}: no ${selector} in main`);
  }
  assert.notEqual(await page.title(), 'pwned', `${where}: no script ran`);
}

function writeTempFile(name: string, content: Buffer | string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openpsirt-browser-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

describe(`report intake in Chromium without JavaScript (${engine})`, () => {
  let product: Awaited<ReturnType<typeof startTestProduct>>;
  let browser: Browser;
  let context: BrowserContext;
  let baseUrl: string;

  before(async () => {
    if (!haveChromium) return;
    fs.mkdirSync(screenshots, { recursive: true });
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    product = await startTestProduct({ listen: true, env: { PORT: String(port), PUBLIC_URL: baseUrl } });
    browser = await launchChromium();
    context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(15_000);
  });

  after(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('finds the form through security.txt, stores a report with a file, and takes a reply with a file', {
    skip,
  }, async () => {
    const page = await context.newPage();

    const txtResponse = await page.goto(`${baseUrl}/.well-known/security.txt`);
    assert.equal(txtResponse?.status(), 200);
    assertCsp(txtResponse, 'security.txt');
    const securityTxt = await textOf(page.locator('body'));
    assert.match(securityTxt, /^-----BEGIN PGP SIGNED MESSAGE-----/);
    await shoot(page, 'security-txt.png');
    const contacts = [...securityTxt.matchAll(/^Contact:\s*(\S+)\s*$/gm)].map((m) => m[1] ?? '');
    assert.ok(contacts.includes('mailto:security@example.com'), contacts.join(', '));
    const formUrl = contacts.find((contact) => /^https?:\/\//.test(contact));
    assert.equal(formUrl, `${baseUrl}/report`);

    const formResponse = await page.goto(formUrl);
    assert.equal(formResponse?.status(), 200);
    assertCsp(formResponse, 'the report form');
    assert.equal(await textOf(page.locator('h1')), 'Report a vulnerability');

    const crashLog = Buffer.from('ble: unlock frame replayed at 12:00:01\nstate=UNLOCKED\n');
    await page.fill('#title', 'Replay of a captured BLE unlock frame opens the lock');
    await page.selectOption('#productId', { label: 'L1 Smart Lock' });
    const productId = await page.inputValue('#productId');
    await page.fill('#version', '2.4.1');
    await page.fill(
      '#description',
      'The lock accepts an unlock frame captured earlier.\nNo nonce is checked.',
    );
    await page.fill(
      '#stepsToReproduce',
      '1. Capture an unlock with a sniffer.\n2. Send it again an hour later.',
    );
    await page.fill('#impact', 'Anyone within radio range who once saw the owner unlock can open the door.');
    await page.fill('#cvssVector', VALID_CVSS);
    await page.fill('#reporterName', 'Ada Researcher');
    await page.fill('#reporterEmail', 'ada@example.org');
    await page.check('input[name=credit][value=named]');
    await page.setInputFiles('#attachments', writeTempFile('crash-log.txt', crashLog));
    await shoot(page, 'report-form.png');

    const ack = await submit(page, 'form button[type=submit]');
    assert.equal(ack.status(), 201);
    assertCsp(ack, 'the acknowledgement');
    const trackingId = (await textOf(page.locator('#tracking-id'))).trim();
    assert.match(trackingId, TRACKING_ID);
    await shoot(page, 'acknowledgement.png');

    const statusResponse = await followStatusLink(page);
    assert.equal(statusResponse.status(), 200);
    assertCsp(statusResponse, 'the status page');
    assert.match(page.url(), new RegExp(`^${baseUrl}/status/[A-Za-z0-9_-]{43}$`));
    assert.equal(await textOf(page.locator('h1')), `Report ${trackingId}`);
    assert.match(await textOf(page.locator('#report-status')), /^Received/);
    assert.match(await textOf(page.locator('ol.timeline')), /Report received/);
    assert.match(await textOf(page.locator('main')), /crash-log\.txt/);
    await shoot(page, 'status-page.png');

    const capture = Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0]);
    const replyText = 'Here is the packet capture of the replay.';
    await page.fill('#body', replyText);
    await page.setInputFiles('#attachments', writeTempFile('replay.pcap', capture));
    const replied = await submit(page, 'form[action$="/replies"] button[type=submit]');
    assert.equal(replied.status(), 201);
    assertCsp(replied, 'the status page after a reply');
    assert.match(await textOf(page.locator('[role=status]')), /Your reply was sent/);
    const message = page.locator('main .panel', { hasText: replyText });
    assert.equal(await message.count(), 1, 'the reply is in the conversation');
    assert.match(await textOf(message), /^You /);
    assert.match(await textOf(message), /replay\.pcap \(12 bytes\)/);
    assert.match(await textOf(page.locator('ol.timeline')), /You sent a reply/);
    await shoot(page, 'status-after-reply.png');

    const { db } = product.deps;
    const report = await db
      .selectFrom('reports')
      .selectAll()
      .where('tracking_id', '=', trackingId)
      .executeTakeFirstOrThrow();
    assert.equal(report.source, 'form');
    assert.equal(report.title, 'Replay of a captured BLE unlock frame opens the lock');
    assert.equal(report.product_id, productId);
    assert.equal(report.version, '2.4.1');
    // Browsers submit textarea line breaks as CRLF (HTML form submission); the text itself is kept.
    assert.equal(
      report.description.replaceAll('\r\n', '\n'),
      'The lock accepts an unlock frame captured earlier.\nNo nonce is checked.',
    );
    assert.equal(report.cvss_vector, VALID_CVSS);
    assert.equal(report.reporter_email, 'ada@example.org');
    assert.equal(report.credit, 'named');
    assert.equal(report.credit_name, 'Ada Researcher');
    const messages = await db
      .selectFrom('report_messages')
      .selectAll()
      .where('report_id', '=', report.id)
      .execute();
    assert.equal(messages.length, 1);
    assert.equal(messages[0]?.author, 'reporter');
    assert.equal(messages[0]?.body, replyText);
    const files = await db
      .selectFrom('attachments')
      .selectAll()
      .where('report_id', '=', report.id)
      .orderBy('file_name')
      .execute();
    assert.deepEqual(
      files.map((f) => [f.file_name, f.size, f.sha256, f.message_id]),
      [
        ['crash-log.txt', crashLog.length, sha256Hex(crashLog), null],
        ['replay.pcap', capture.length, sha256Hex(capture), messages[0]?.id],
      ],
    );
    for (const [file, content] of [
      [files[0], crashLog],
      [files[1], capture],
    ] as const) {
      assert.ok(file);
      assert.deepEqual(fs.readFileSync(product.deps.blobs.pathOf(file.sha256)), content);
    }

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${baseUrl}/report`);
    await shoot(page, 'report-form-mobile.png');
    const scrollWidth = await page.evaluate('document.documentElement.scrollWidth');
    assert.ok(
      Number(scrollWidth) <= 390,
      `the form fits 390 px without sideways scrolling (${scrollWidth} px)`,
    );
    await page.close();
  });

  it('shows hostile text in every field as literal text, on the re-shown form and on the status page', {
    skip,
  }, async () => {
    const page = await context.newPage();
    const hostile = {
      title: `<script>document.title='pwned'</script> \u202Egnp.exe`,
      productName: `<img src=x onerror="document.title='pwned'">`,
      version: 'javascript:alert(1)',
      description: `<svg onload="document.title='pwned'"><circle r="1"/></svg>\n"double" & 'single' \`tick\``,
      stepsToReproduce: `</textarea><script>document.title='pwned'</script>`,
      impact: `<iframe src="javascript:alert(1)"></iframe> \u202Etxt.exe`,
      cvssVector: `"><script>document.title='pwned'</script>`,
      reporterName: '<b onmouseover=alert(1)>Mallory</b>',
      reporterEmail: `"><svg onload=alert(1)>@example`,
      creditName: `\u202Eevil\u202C <a href="javascript:alert(1)">me</a>`,
    };

    const formResponse = await page.goto(`${baseUrl}/report`);
    assertCsp(formResponse, 'the report form');
    for (const [name, value] of Object.entries(hostile)) await page.fill(`#${name}`, value);
    await page.selectOption('#productId', 'other');

    const refused = await submit(page, 'form button[type=submit]');
    assert.equal(refused.status(), 400);
    assertCsp(refused, 'the re-shown form');
    for (const [name, value] of Object.entries(hostile)) {
      assert.equal(await page.inputValue(`#${name}`), value, `${name} is kept verbatim`);
    }
    assert.equal(await page.inputValue('#productId'), 'other');
    assert.match(await textOf(page.locator('#reporterEmail-error')), /not a valid email address/);
    assert.equal(
      await page.getAttribute('#reporterEmail', 'aria-describedby'),
      'reporterEmail-hint reporterEmail-error',
    );
    assert.equal(await page.locator('#cvssVector-error').count(), 1, 'the bad CVSS vector is named too');
    assert.match(
      await textOf(page.locator('[role=alert]')),
      /Your report was not sent: 2 fields need attention/,
    );
    await assertNoActiveMarkup(page, 'the re-shown form');
    await shoot(page, 'report-form-errors.png');

    await page.fill('#reporterEmail', 'mallory@example.org');
    await page.fill('#cvssVector', '');
    const ack = await submit(page, 'form button[type=submit]');
    assert.equal(ack.status(), 201);
    const trackingId = (await textOf(page.locator('#tracking-id'))).trim();
    assert.match(trackingId, TRACKING_ID);

    const statusResponse = await followStatusLink(page);
    assertCsp(statusResponse, 'the status page');
    const main = (await page.locator('main').textContent()) ?? '';
    assert.ok(main.includes('<script>'), 'the title shows its markup as text');
    // Bidi controls are shown as visible code points so a reversed "gnp.exe" cannot pass as "exe.png".
    const shown = (text: string) =>
      text.replace(
        /[\u202A-\u202E\u2066-\u2069]/g,
        (c) => `[U+${c.codePointAt(0)?.toString(16).toUpperCase()}]`,
      );
    assert.ok(
      main.includes(shown(hostile.title)),
      'the hostile title is shown as text with its controls revealed',
    );
    assert.ok(main.includes(shown(hostile.productName)), 'the hostile product name is shown as text');
    assert.ok(!main.includes('\u202E'), 'no bidi override reaches the page text');
    await assertNoActiveMarkup(page, 'the status page');
    await shoot(page, 'status-page-hostile.png');

    const stored = await product.deps.db
      .selectFrom('reports')
      .selectAll()
      .where('tracking_id', '=', trackingId)
      .executeTakeFirstOrThrow();
    assert.equal(stored.title, hostile.title);
    assert.equal(stored.steps, hostile.stepsToReproduce);
    assert.equal(stored.credit_name, hostile.creditName);

    // Defence in depth: even where scripts may run, the page markup and its CSP keep them inert.
    const scripted = await browser.newContext({ javaScriptEnabled: true });
    try {
      const again = await scripted.newPage();
      await again.goto(page.url());
      assert.notEqual(await again.title(), 'pwned');
      assert.equal(await again.locator('main script').count(), 0);
    } finally {
      await scripted.close();
    }
    await page.close();
  });
});
