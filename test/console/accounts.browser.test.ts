// The console's accounts screens in real Chromium: a wrong password is explained, an admin creates an
// account and an API token whose secret is shown exactly once, and signing out works.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestUser, type TestUser } from '../support/auth.ts';
import {
  type ConsoleRig,
  haveChromium,
  NARROW,
  shoot,
  shootBothWidths,
  signIn,
  skipWithoutChromium as skip,
  startConsoleRig,
  textOf,
  watchForPageErrors,
} from '../support/console-browser.ts';
import { engine } from '../support/product.ts';

describe(`console accounts in Chromium (${engine})`, () => {
  let rig: ConsoleRig;
  let admin: TestUser;
  let analyst: TestUser;

  before(async () => {
    if (!haveChromium) return;
    rig = await startConsoleRig();
    admin = await createTestUser(rig.product, 'admin', { name: 'Ada Admin' });
    analyst = await createTestUser(rig.product, 'analyst', { name: 'Ana Analyst' });
  });
  after(async () => rig?.stop());

  it('shows a clear error for a wrong password, then signs in with the right one', { skip }, async () => {
    const context = await rig.newContext();
    const page = await context.newPage();
    const errors = watchForPageErrors(page);
    await page.goto('/console/inventory');
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    await shootBothWidths(page, 'sign-in');

    await page.getByLabel('Email').fill(analyst.email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await textOf(alert), /Wrong email or password/);
    assert.match(await textOf(alert), /HTTP 401/);
    await shootBothWidths(page, 'sign-in-wrong-password');

    await page.getByLabel('Password').fill(analyst.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Console' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/console/inventory', 'the deep link survives signing in');
    const nav = await textOf(page.getByRole('navigation', { name: 'Console' }));
    assert.match(nav, /Inventory/);
    assert.match(nav, /API tokens/);
    assert.doesNotMatch(nav, /Users/, 'an analyst manages no accounts');
    assert.doesNotMatch(nav, /Audit log/);
    errors.check('sign-in');
    await context.close();
  });

  it('explains that an account is throttled after repeated wrong passwords', { skip }, async () => {
    const target = await createTestUser(rig.product, 'analyst');
    const context = await rig.newContext();
    const page = await context.newPage();
    await page.goto('/console/');
    await page.getByLabel('Email').fill(target.email);
    const alert = page.getByRole('alert');
    for (let attempt = 1; attempt <= 6; attempt++) {
      await page.getByLabel('Password').fill(`wrong guess ${attempt}`);
      const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
      await page.getByRole('button', { name: 'Sign in' }).click();
      if ((await answer).status() === 429) break;
    }
    await alert.filter({ hasText: 'Too many attempts' }).waitFor();
    assert.match(await textOf(alert), /HTTP 429/);
    await shootBothWidths(page, 'sign-in-throttled');
    await context.close();
  });

  it('lets an admin create an account that can then sign in', { skip }, async () => {
    const { context, page, errors } = await rig.signedInPage(admin);
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Create an account' }).waitFor();

    const form = page.locator('#new-user');
    const email = `new-auditor-${Date.now()}@test.example`;
    await form.getByLabel('Name').fill('Audrey Auditor');
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Role').selectOption('auditor');
    await form.getByLabel('Initial password').fill('short');
    await form.getByRole('button', { name: 'Create account' }).click();
    // The browser's own check (minlength is not set) lets it through; the server names the field.
    await form.getByRole('alert').waitFor();
    assert.match(await textOf(form.getByRole('alert')), /password/);

    await form.getByLabel('Initial password').fill('a long enough passphrase');
    await form.getByRole('button', { name: 'Create account' }).click();
    await page.getByText(`Account created for ${email}`).waitFor();
    const row = page.locator('#users tbody tr', { hasText: email });
    await row.waitFor();
    assert.match(await textOf(row), /Audrey Auditor/);
    await shootBothWidths(page, 'users');

    await page.getByRole('link', { name: 'Audit log' }).click();
    const created = page.locator('#audit tbody tr', { hasText: 'USER_CREATED' }).first();
    await created.waitFor();
    assert.ok((await textOf(created)).includes(admin.email), 'the audit entry names who did it');
    assert.ok((await page.locator('#audit tbody tr', { hasText: 'SIGN_IN' }).count()) > 0);
    await shootBothWidths(page, 'audit');
    errors.check('users and audit');

    const auditor = { email, password: 'a long enough passphrase' };
    const { page: auditorPage } = await rig.signedInPage(auditor, NARROW);
    await auditorPage.getByRole('button', { name: 'Menu' }).click();
    const nav = await textOf(auditorPage.getByRole('navigation', { name: 'Console' }));
    assert.match(nav, /Audit log/);
    assert.doesNotMatch(nav, /Users/);
    await shoot(auditorPage, 'auditor-menu-390');
    await context.close();
  });

  it('creates an API token whose secret is shown once, and revokes it', { skip }, async () => {
    const { context, page, errors } = await rig.signedInPage(admin);
    await page.getByRole('link', { name: 'API tokens' }).click();
    const form = page.locator('#new-token');
    await form.getByLabel('Name').fill('nightly SBOM upload');
    await form.getByLabel('Acts as').selectOption('analyst');
    await form.getByRole('button', { name: 'Create token' }).click();

    const secretPanel = page.locator('#new-token-secret');
    await secretPanel.waitFor();
    assert.match(await textOf(secretPanel), /only time it is shown/);
    const secret = (await textOf(secretPanel.locator('.secret'))).trim();
    assert.ok(secret.length >= 30, `a real secret is shown (${secret.length} characters)`);
    const row = page.locator('#tokens tbody tr', { hasText: 'nightly SBOM upload' });
    await row.waitFor();
    assert.match(await textOf(row), /never/, 'not used yet');
    await shootBothWidths(page, 'token-created');

    // The secret works as a bearer token, and is never shown again.
    const me = await fetch(`${rig.baseUrl}/api/v1/auth/me`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    assert.equal(me.status, 200);
    await page.reload();
    await row.waitFor();
    assert.equal(await page.locator('#new-token-secret').count(), 0);
    assert.doesNotMatch(await textOf(page.locator('main')), new RegExp(secret));

    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText(/revoked/).waitFor();
    const after = await fetch(`${rig.baseUrl}/api/v1/auth/me`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    assert.equal(after.status, 401);
    errors.check('tokens');
    await context.close();
  });

  it('changes the password: the old one stops working, the new one signs in', { skip }, async () => {
    const user = await createTestUser(rig.product, 'auditor');
    const { context, page } = await rig.signedInPage(user);
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByLabel('Current password').fill('not my password at all');
    await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
    await page.getByLabel('New password again').fill('a brand new passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Current password').fill(user.password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your password is changed').waitFor();
    await shootBothWidths(page, 'account');
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.getByText('You are signed out on every device.').waitFor();

    const old = await fetch(`${rig.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    assert.equal(old.status, 401);
    await signIn(page, user.email, 'a brand new passphrase');
    await context.close();
  });

  it('signs out, and a reload then asks to sign in again', { skip }, async () => {
    const { context, page } = await rig.signedInPage(analyst);
    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    await context.close();
  });
});
