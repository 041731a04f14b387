// The console's jobs page in real Chromium: counts by type and state, a failed job with its last
// error, an admin putting it back in the queue; the page refreshes by itself as jobs change.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { enqueue } from '../../src/queue/queue.ts';
import { createTestUser, type TestUser } from '../support/auth.ts';
import {
  type ConsoleRig,
  haveChromium,
  shootBothWidths,
  skipWithoutChromium as skip,
  startConsoleRig,
  textOf,
} from '../support/console-browser.ts';
import { engine } from '../support/product.ts';

describe(`console jobs page in Chromium (${engine})`, () => {
  let rig: ConsoleRig;
  let admin: TestUser;
  let auditor: TestUser;
  let failedId = '';

  before(async () => {
    if (!haveChromium) return;
    rig = await startConsoleRig();
    admin = await createTestUser(rig.product, 'admin', { name: 'Ada Admin' });
    auditor = await createTestUser(rig.product, 'auditor', { name: 'Aud Auditor' });
    const db = rig.product.deps.db;
    await enqueue(db, { type: 'BROWSER_TEST_JOB', payload: {}, runAt: new Date(Date.now() + 3_600_000) });
    await enqueue(db, { type: 'BROWSER_TEST_FAILING', payload: {} });
    const failed = await db
      .updateTable('jobs')
      .set({ state: 'failed', attempts: 5, max_attempts: 5, last_error: 'SMTP 550 mailbox unavailable' })
      .where('type', '=', 'BROWSER_TEST_FAILING')
      .returning('id')
      .executeTakeFirstOrThrow();
    failedId = String(failed.id);
  });
  after(async () => rig?.stop());

  it('shows counts and a failed job with its error, and an admin retries it', { skip }, async () => {
    const { page, errors } = await rig.signedInPage(admin);
    await page.getByRole('link', { name: 'Jobs' }).click();
    await page.getByRole('heading', { name: 'Background jobs' }).waitFor();
    const counts = page.locator('#job-counts');
    await counts.getByText('BROWSER_TEST_FAILING').waitFor();
    const row = page.locator('#jobs tr', { hasText: 'BROWSER_TEST_FAILING' });
    assert.match(await textOf(row), /SMTP 550 mailbox unavailable/);
    assert.match(await textOf(row), /5 of 5/);
    await shootBothWidths(page, 'jobs');

    await row.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('status').getByText(`Job ${failedId} is back in the queue.`).waitFor();
    await page.locator('#jobs tr', { hasText: 'BROWSER_TEST_FAILING' }).getByText('queued').waitFor();

    // Changes made elsewhere show up without reloading the page.
    await rig.product.deps.db
      .updateTable('jobs')
      .set({ state: 'done' })
      .where('type', '=', 'BROWSER_TEST_JOB')
      .execute();
    await page
      .locator('#jobs tr', { hasText: 'BROWSER_TEST_JOB' })
      .getByText('done')
      .waitFor({ timeout: 12_000 });
    errors.check('jobs page');
  });

  it('lets an auditor read the page without a retry button', { skip }, async () => {
    await rig.product.deps.db
      .updateTable('jobs')
      .set({ state: 'failed' })
      .where('type', '=', 'BROWSER_TEST_FAILING')
      .execute();
    const { page, errors } = await rig.signedInPage(auditor);
    await page.goto('/console/jobs?state=failed');
    const row = page.locator('#jobs tr', { hasText: 'BROWSER_TEST_FAILING' });
    await row.waitFor();
    assert.equal(await row.getByRole('button', { name: 'Retry' }).count(), 0);
    assert.equal(
      await page.locator('#jobs tr', { hasText: 'BROWSER_TEST_JOB' }).count(),
      0,
      'filtered to failed',
    );
    errors.check('jobs page as auditor');
  });
});
