// The inventory in the console, in real Chromium: an analyst adds a model and a firmware version,
// uploads a broken SBOM (the first problem is shown with its position) and then a good one (with
// progress), sees its components, and finds the firmware by component search; the empty state too.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
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

/** A small CycloneDX 1.5 JSON SBOM of a lock firmware with an old OpenSSL in it. */
function cycloneDx(): string {
  return JSON.stringify(
    {
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
      version: 1,
      metadata: { component: { type: 'firmware', name: 'l1-console-test', version: '2.4.1' } },
      components: [
        {
          type: 'library',
          'bom-ref': 'openssl',
          name: 'openssl',
          version: '1.1.1k',
          purl: 'pkg:generic/openssl@1.1.1k',
          licenses: [{ license: { id: 'OpenSSL' } }],
          hashes: [{ alg: 'SHA-256', content: 'a'.repeat(64) }],
        },
        {
          type: 'library',
          'bom-ref': 'zlib',
          name: 'zlib',
          version: '1.2.13',
          purl: 'pkg:generic/zlib@1.2.13',
          licenses: [{ license: { id: 'Zlib' } }],
        },
        {
          type: 'library',
          'bom-ref': 'busybox',
          name: 'busybox',
          version: '1.36.1',
          purl: 'pkg:generic/busybox@1.36.1',
        },
      ],
    },
    null,
    2,
  );
}

function writeTempFile(name: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openpsirt-console-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

describe(`console inventory in Chromium (${engine})`, () => {
  let rig: ConsoleRig;
  let analyst: TestUser;
  let auditor: TestUser;

  before(async () => {
    if (!haveChromium) return;
    rig = await startConsoleRig();
    analyst = await createTestUser(rig.product, 'analyst', { name: 'Ana Analyst' });
    auditor = await createTestUser(rig.product, 'auditor', { name: 'Otto Auditor' });
  });
  after(async () => rig?.stop());

  it('adds a model and firmware, refuses a broken SBOM with its position, imports a good one, and finds it by search', {
    skip,
  }, async () => {
    const { context, page, errors } = await rig.signedInPage(analyst);

    // Staff land on the case inbox; the inventory is one click away.
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Inventory' }).click();
    await page.getByRole('heading', { name: 'Inventory' }).waitFor();
    const products = page.locator('table tbody tr');
    await products.first().waitFor();
    assert.ok((await products.count()) >= 1, 'the demo products are listed');
    await shootBothWidths(page, 'inventory');

    await page.getByRole('link', { name: 'L1 Smart Lock' }).click();
    await page.getByRole('heading', { name: 'L1 Smart Lock', level: 1 }).waitFor();

    await page.getByText('Add a model').click();
    await page.getByLabel('Name', { exact: true }).last().fill('Console Test Lock EU');
    await page.getByLabel('Identifier').last().fill('console-test-eu');
    await page.getByLabel('Hardware revisions').fill('A, B2');
    await page.getByLabel('Security support until').fill('2031-12-31');
    await page.getByRole('button', { name: 'Add model' }).click();
    await page.getByRole('heading', { name: 'Console Test Lock EU', level: 1 }).waitFor();
    assert.match(await textOf(page.locator('dl.facts')), /A, B2/);

    for (const version of ['2.10.0', '2.4.1']) {
      await page.getByText('Add a firmware version').click();
      await page.getByLabel('Version', { exact: true }).fill(version);
      await page.getByRole('button', { name: 'Add firmware version' }).click();
      await page.getByRole('heading', { level: 1 }).filter({ hasText: version }).waitFor();
      if (version === '2.10.0')
        await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link').last().click();
    }
    const firmwareUrl = page.url();

    // A broken SBOM: the first problem is shown with its line and column, and nothing is stored.
    const broken =
      '{\n  "bomFormat": "CycloneDX",\n  "specVersion": "1.5",\n  "components": [\n    { "name": "x", }\n  ]\n}\n';
    await page.getByLabel('SBOM file').setInputFiles(writeTempFile('broken.cdx.json', broken));
    await page.getByRole('button', { name: 'Upload SBOM' }).click();
    const refusal = page.locator('#sbom-error');
    await refusal.waitFor();
    const refusalText = await textOf(refusal);
    assert.match(refusalText, /The SBOM was refused/);
    assert.match(refusalText, /line 5/, `the position is shown: ${refusalText}`);
    assert.match(await textOf(page.locator('main')), /No SBOM uploaded/);
    await shootBothWidths(page, 'sbom-refused');

    await page.getByLabel('SBOM file').setInputFiles(writeTempFile('l1-2.4.1.cdx.json', cycloneDx()));
    await page.getByRole('button', { name: 'Upload SBOM' }).click();
    await page.getByText(/SBOM stored: 3 components/).waitFor();
    const table = page.locator('#components');
    await table.getByRole('cell', { name: 'openssl', exact: true }).waitFor();
    assert.match(await textOf(table), /pkg:generic\/openssl@1\.1\.1k/);
    assert.match(await textOf(page.locator('#sbom-facts')), /cyclonedx-json 1\.5/);
    await shootBothWidths(page, 'firmware-sbom');

    // The model lists its firmware in version order: 2.4.1 before 2.10.0.
    await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link').last().click();
    // The model page loads its firmware after navigating: wait until it is shown before reading it.
    await page.getByRole('heading', { name: 'Firmware versions' }).waitFor();
    await page.getByRole('cell', { name: '2.10.0', exact: true }).waitFor();
    const versions = await page.locator('table tbody tr td:first-child').allTextContents();
    assert.deepEqual(
      versions.map((v) => v.trim()),
      ['2.4.1', '2.10.0'],
    );
    await shootBothWidths(page, 'model');

    await page.getByRole('link', { name: 'Component search' }).click();
    await page.getByLabel('Package URL (purl)').fill('pkg:generic/openssl');
    await page.getByLabel('Version range').fill('< 3.0.7');
    await page.getByRole('button', { name: 'Search' }).click();
    const results = page.locator('#search-results');
    await results.waitFor();
    const hit = results.locator('tbody tr', { hasText: 'Console Test Lock EU' });
    assert.equal(await hit.count(), 1, 'the firmware with the old OpenSSL is found');
    assert.match(await textOf(hit), /2\.4\.1/);
    assert.match(await textOf(hit), /1\.1\.1k/);
    assert.match(page.url(), /\/console\/components\?purl=pkg%3Ageneric%2Fopenssl&range=%3C\+3\.0\.7$/);
    await shootBothWidths(page, 'component-search');

    await page.getByLabel('Version range').fill('>= 3.0.7');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('#search-empty').waitFor();
    assert.match(
      await textOf(page.locator('#search-empty')),
      /No firmware contains pkg:generic\/openssl in the range >= 3\.0\.7/,
    );
    await shootBothWidths(page, 'component-search-empty');

    // The hit links to the firmware page.
    await page.goBack();
    await results.waitFor();
    await hit.getByRole('link', { name: '2.4.1' }).click();
    assert.equal(page.url(), firmwareUrl);
    errors.check('inventory');
    await context.close();
  });

  it('shows an auditor the inventory without any edit or upload controls', { skip }, async () => {
    const { context, page } = await rig.signedInPage(auditor);
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Inventory' }).click();
    await page.locator('table tbody tr').first().waitFor();
    assert.equal(await page.getByText('Add a product').count(), 0);
    assert.equal(await page.getByText('Import a file').count(), 0);
    await page.locator('table tbody tr').first().getByRole('link').click();
    await page.getByRole('heading', { name: 'Models' }).waitFor();
    assert.equal(await page.getByText('Edit product').count(), 0);
    assert.equal(await page.getByText('Add a model').count(), 0);
    await context.close();
  });
});
