// Headless Chromium for the browser tests (the researcher's intake pages and the staff console):
// where it is, how it is launched, and where screenshots go. Skips loudly when it is not installed.
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Locator } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = fs.existsSync(CHROMIUM);
export const skipWithoutChromium = haveChromium
  ? false
  : `Chromium not installed at ${CHROMIUM}: apt-get install -y chromium`;
if (!haveChromium) process.stderr.write(`\nWARNING: browser tests SKIPPED. ${skipWithoutChromium}\n\n`);

export const screenshots = path.resolve(import.meta.dirname, '../../out/screenshots');

/** Launches Chromium headless, without the background traffic and sandbox a test machine cannot use. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** An element's text as the DOM holds it (hidden parts included, e.g. a collapsed menu). */
export async function textOf(element: Locator): Promise<string> {
  return (await element.textContent()) ?? '';
}
