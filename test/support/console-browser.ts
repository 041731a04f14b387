// Real Chromium against the real product for console tests: starts the product on a free port with
// the console built, opens pages, signs in through the sign-in screen, and saves screenshots to
// out/screenshots/ for a person to look at. Skips loudly when Chromium is not installed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, screenshots } from './chromium.ts';
import { ensureConsoleBuilt } from './console.ts';
import { freePort, startTestProduct } from './product.ts';

export { haveChromium, skipWithoutChromium, textOf } from './chromium.ts';
export const WIDE = { width: 1280, height: 800 };
export const NARROW = { width: 390, height: 844 };

export type ConsoleRig = {
  product: Awaited<ReturnType<typeof startTestProduct>>;
  browser: Browser;
  baseUrl: string;
  /** A fresh browser context (own cookies) at the given viewport. */
  newContext(viewport?: { width: number; height: number }): Promise<BrowserContext>;
  /** A page in a fresh context, signed in as `user` through the sign-in screen, its errors watched. */
  signedInPage(
    user: { email: string; password: string },
    viewport?: { width: number; height: number },
  ): Promise<{ context: BrowserContext; page: Page; errors: ReturnType<typeof watchForPageErrors> }>;
  stop(): Promise<void>;
};

export async function startConsoleRig(env: Record<string, string> = {}): Promise<ConsoleRig> {
  await ensureConsoleBuilt();
  fs.mkdirSync(screenshots, { recursive: true });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const product = await startTestProduct({
    listen: true,
    env: { PORT: String(port), PUBLIC_URL: baseUrl, ...env },
  });
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];
  const newContext = async (viewport = WIDE) => {
    const context = await browser.newContext({ viewport, baseURL: baseUrl });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    return context;
  };
  return {
    product,
    browser,
    baseUrl,
    newContext,
    async signedInPage(user, viewport) {
      const context = await newContext(viewport);
      const page = await context.newPage();
      const errors = watchForPageErrors(page);
      await signIn(page, user.email, user.password);
      return { context, page, errors };
    },
    async stop() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
      await product.stop();
    },
  };
}

/**
 * Collects what would make a screen silently broken: console errors (CSP violations included) and
 * uncaught exceptions. `check()` fails the test if any happened.
 */
export function watchForPageErrors(page: Page) {
  const problems: string[] = [];
  page.on('console', (message) => {
    // The browser logs failed requests (4xx answers the test provokes on purpose) as errors too.
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`exception: ${error.message}`));
  return {
    check(where: string) {
      assert.deepEqual(problems, [], `${where}: the page logged errors`);
    },
  };
}

export async function shoot(page: Page, name: string) {
  await page.screenshot({ path: path.join(screenshots, `console-${name}.png`), fullPage: true });
}

/** Shoots the page at 1280 px and at 390 px wide, checking that the narrow one needs no sideways scrolling. */
export async function shootBothWidths(page: Page, name: string) {
  const before = page.viewportSize() ?? { width: 1280, height: 800 };
  await page.setViewportSize({ width: 1280, height: 800 });
  await shoot(page, `${name}-1280`);
  await page.setViewportSize({ width: 390, height: 844 });
  await shoot(page, `${name}-390`);
  const scrollWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
  assert.ok(scrollWidth <= 390, `${name} fits 390 px without sideways scrolling (${scrollWidth} px)`);
  await page.setViewportSize(before);
}

/** Signs in through the sign-in screen and waits for the shell. */
export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/console/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('header.console').waitFor();
}
