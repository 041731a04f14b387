// The metrics page in real Chromium: the cases of the hand-computed example (test/cases/metrics-example.ts)
// are seeded with a fixed clock, and the page shows the same medians and 90th percentiles as the
// arithmetic, per month, per product and for one product; an empty range says so; a supplier does
// not get the page. Screenshots at 1280 and 390 px go to out/screenshots/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestProductHandle } from '../cases/fixtures.ts';
import { type MetricsExample, seedMetricsExample } from '../cases/metrics-example.ts';
import { createTestUser, signInAs, type TestUser } from '../support/auth.ts';
import { launchChromium } from '../support/chromium.ts';
import { ensureConsoleBuilt } from '../support/console.ts';
import {
  haveChromium,
  shootBothWidths,
  signIn,
  skipWithoutChromium as skip,
  textOf,
  WIDE,
  watchForPageErrors,
} from '../support/console-browser.ts';
import { engine, freePort, startTestProduct } from '../support/product.ts';

/** The UTC month `n` months before the current one, as YYYY-MM (the policy's time zone is UTC here). */
function monthsBeforeNow(n: number): string {
  const today = new Date();
  return new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - n, 1)).toISOString().slice(0, 7);
}

describe(`console metrics in Chromium (${engine})`, () => {
  let product: TestProductHandle;
  let browser: Browser;
  let baseUrl = '';
  // Fixed while seeding; then the real time, since the browser drops a session cookie that expired by its own clock.
  let now: Date | null = null;
  let analyst: TestUser;
  let supplierUser: TestUser;
  let example: MetricsExample;
  const contexts: BrowserContext[] = [];

  before(async () => {
    if (!haveChromium) return;
    await ensureConsoleBuilt();
    // The console rig with a clock the test controls (startConsoleRig runs on the real clock).
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    product = await startTestProduct({
      listen: true,
      demo: false,
      clock: () => now ?? new Date(),
      env: { PORT: String(port), PUBLIC_URL: baseUrl },
    });
    const tokenOf = async (role: 'admin' | 'analyst') =>
      (await (await signInAs(product, role)).createToken()).inject;
    example = await seedMetricsExample(product, (at) => (now = at), {
      analyst: await tokenOf('analyst'),
      admin: await tokenOf('admin'),
    });
    now = null;
    analyst = await createTestUser(product, 'analyst', { name: 'Ana Analyst' });
    supplierUser = await createTestUser(product, 'supplier', { name: 'Sam Supplier' });
    browser = await launchChromium();
  });
  after(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await product?.stop();
  });

  async function signedInPage(user: TestUser) {
    const context = await browser.newContext({ viewport: WIDE, baseURL: baseUrl });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    const errors = watchForPageErrors(page);
    await signIn(page, user.email, user.password);
    return { page, errors };
  }

  const row = (page: Page, table: string, text: string) =>
    page.locator(`#${table} tbody tr`, { hasText: text });

  async function showRange(page: Page, from: string, to: string, productName?: string) {
    const form = page.getByRole('form', { name: 'Range and product' });
    await form.getByLabel('From month').fill(from);
    await form.getByLabel('To month').fill(to);
    if (productName) await form.getByLabel('Product').selectOption({ label: productName });
    await form.getByRole('button', { name: 'Show' }).click();
  }

  it('shows the medians and 90th percentiles of the hand-computed example, as charts and tables', {
    skip,
  }, async () => {
    const { page, errors } = await signedInPage(analyst);
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Metrics' }).click();
    await page.getByRole('heading', { name: 'Metrics', level: 1 }).waitFor();
    // The default range: the twelve months up to the current one.
    await page.locator('#months-acknowledge tbody tr').nth(11).waitFor();
    assert.equal(await page.getByLabel('From month').inputValue(), monthsBeforeNow(11));
    assert.equal(await page.getByLabel('To month').inputValue(), monthsBeforeNow(0));

    await showRange(page, '2026-01', '2026-02');
    await page.waitForURL(/from=2026-01&to=2026-02/);
    await page.locator('#metrics-scope', { hasText: 'January 2026 to February 2026' }).waitFor();
    assert.equal(await page.locator('#months-acknowledge tbody tr').count(), 2);

    // Overall (the example: acknowledge 3.6 / 7.5, triage 30 / 49.2, fix 200 / 280).
    const overall = async (measure: string) => textOf(page.locator(`#overall-${measure}`));
    assert.match(await overall('acknowledge'), /3\.6 h.*90th percentile 7\.5 h.*6 reached · 1 open/s);
    assert.match(await overall('triage'), /30\.0 h.*90th percentile 49\.2 h.*5 reached · 2 open/s);
    assert.match(
      await overall('fix'),
      /200\.0 h.*≈ 8\.3 days.*90th percentile 280\.0 h.*3 reached · 3 open/s,
    );

    // Per month: cells Month, Median, P90, Reached, Open.
    const cells = async (table: string, month: string) =>
      (await row(page, table, month).locator('th, td').allTextContents()).map((t) => t.trim());
    assert.deepEqual(await cells('months-acknowledge', 'Jan 2026'), ['Jan 2026', '3.8 h', '8.3 h', '4', '0']);
    assert.deepEqual(await cells('months-acknowledge', 'Feb 2026'), ['Feb 2026', '3.6 h', '4.1 h', '2', '1']);
    assert.deepEqual(await cells('months-triage', 'Jan 2026'), ['Jan 2026', '30.0 h', '46.0 h', '3', '1']);
    assert.deepEqual(await cells('months-triage', 'Feb 2026'), ['Feb 2026', '34.0 h', '45.2 h', '2', '1']);
    assert.deepEqual(await cells('months-fix', 'Jan 2026'), ['Jan 2026', '200.0 h', '280.0 h', '2', '2']);
    assert.deepEqual(await cells('months-fix', 'Feb 2026'), ['Feb 2026', '200.0 h', '200.0 h', '1', '1']);

    // Per product: the lamp is A, the lock B; the case affecting both counts in each.
    const lamp = await textOf(row(page, 'products-metrics', 'A Lamp'));
    assert.match(lamp, /3\.1 h median · 5\.1 h p90.*4 reached · 0 open/s);
    assert.match(lamp, /30\.0 h median · 44\.4 h p90/);
    assert.match(lamp, /100\.0 h median · 100\.0 h p90.*1 reached · 2 open/s);
    const lock = await textOf(row(page, 'products-metrics', 'B Lock'));
    assert.match(lock, /3\.0 h median · 8\.2 h p90/);
    assert.match(lock, /35\.0 h median · 47\.0 h p90/);
    assert.match(lock, /250\.0 h median · 290\.0 h p90/);

    // Each chart is an image with a title and a text description of every month it draws.
    const chart = page.getByRole('img', { name: /Time to acknowledge per month of receipt/ });
    await chart.waitFor();
    assert.match(
      await textOf(chart.locator('desc')),
      /January 2026: median 3\.8 h, 90th percentile 8\.3 h, 4 reached, 0 open/,
    );
    assert.equal(
      await page.locator('.month-chart .median').count(),
      6,
      'a bar for each month of each measure',
    );
    await shootBothWidths(page, 'metrics');
    // At 390 px the month tables fit without scrolling sideways inside their frame either.
    await page.setViewportSize({ width: 390, height: 844 });
    const overflowing = await page.evaluate(
      "[...document.querySelectorAll('.measure .table-wrap')].filter((e) => e.scrollWidth > e.clientWidth).length",
    );
    assert.equal(overflowing, 0, 'month tables fit 390 px');
    await page.setViewportSize(WIDE);
    errors.check('metrics');
  });

  it('keeps to one product, says when a range holds no case, and explains a range backwards', {
    skip,
  }, async () => {
    const { page, errors } = await signedInPage(analyst);
    await page.goto('/console/metrics?from=2026-01&to=2026-02');
    await row(page, 'months-acknowledge', 'Jan 2026').waitFor();
    await showRange(page, '2026-01', '2026-02', 'B Lock');
    await page.waitForURL(new RegExp(`product=${example.lock}`));
    await page.locator('#metrics-scope', { hasText: 'affecting B Lock' }).waitFor();
    assert.match(
      await textOf(page.locator('#overall-acknowledge')),
      /3\.0 h.*90th percentile 8\.2 h.*3 reached · 1 open/s,
    );
    assert.match(await textOf(page.locator('#overall-fix')), /250\.0 h.*90th percentile 290\.0 h/s);
    assert.deepEqual(
      (await page.locator('#products-metrics tbody tr td:first-child').allTextContents()).map((t) =>
        t.trim(),
      ),
      ['B Lock'],
    );

    await showRange(page, '2024-01', '2024-03', 'B Lock');
    const empty = page.getByRole('status').filter({ hasText: 'No case affecting B Lock' });
    await empty.waitFor();
    assert.match(await textOf(empty), /was received from January 2024 to March 2024/);
    assert.equal(await page.locator('.month-chart').count(), 0, 'no empty charts');
    await shootBothWidths(page, 'metrics-empty');

    await showRange(page, '2026-03', '2026-01');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await textOf(alert), /must not be after to/);
    assert.match(await textOf(alert), /HTTP 400/);
    errors.check('metrics filters');
  });

  it('gives a supplier neither the link nor the page', { skip }, async () => {
    const { page } = await signedInPage(supplierUser);
    const nav = await textOf(page.getByRole('navigation', { name: 'Console' }));
    assert.doesNotMatch(nav, /Metrics/);
    await page.goto('/console/metrics');
    await page.getByRole('heading', { name: 'Not available' }).waitFor();
    assert.doesNotMatch(await textOf(page.locator('main')), /Lamp|Lock|median/);
  });
});
