// Suppliers in the console, in real Chromium: an analyst sees which safeguards each supplier is
// missing at a glance and records one as agreed with evidence; a supplier's user sees only its own
// supplier, models and firmware, and gets nothing of another supplier's.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestUser, signInAs, type TestSession, type TestUser } from '../support/auth.ts';
import {
  type ConsoleRig,
  haveChromium,
  shootBothWidths,
  skipWithoutChromium as skip,
  startConsoleRig,
  textOf,
} from '../support/console-browser.ts';
import { engine } from '../support/product.ts';

type Made = { id: string };

async function post(
  session: TestSession,
  method: 'POST' | 'PUT',
  url: string,
  payload: unknown,
): Promise<Made> {
  const response = await session.inject({ method, url, payload: payload as Record<string, unknown> });
  assert.ok(response.statusCode < 300, `${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json() as Made;
}

describe(`console suppliers in Chromium (${engine})`, () => {
  let rig: ConsoleRig;
  let analyst: TestUser;
  let supplierUser: TestUser;
  const ids = { factoryA: '', partsB: '', modelA: '', modelB: '' };

  before(async () => {
    if (!haveChromium) return;
    rig = await startConsoleRig();
    const admin = await signInAs(rig.product, 'admin');
    ids.factoryA = (
      await post(admin, 'POST', '/api/v1/suppliers', { name: 'Shenzhen Factory A', country: 'CN' })
    ).id;
    ids.partsB = (
      await post(admin, 'POST', '/api/v1/suppliers', { name: 'Taipei Parts B', country: 'TW' })
    ).id;
    const products = (await admin.inject({ method: 'GET', url: '/api/v1/products' })).json() as {
      items: { id: string; slug: string }[];
    };
    const lock = products.items.find((p) => p.slug === 'l1-smart-lock') ?? products.items[0];
    assert.ok(lock, 'the demo has products');
    ids.modelA = (
      await post(admin, 'POST', `/api/v1/products/${lock.id}/models`, {
        slug: 'factory-a-lock',
        name: 'Factory A Lock',
      })
    ).id;
    ids.modelB = (
      await post(admin, 'POST', `/api/v1/products/${lock.id}/models`, {
        slug: 'parts-b-lock',
        name: 'Parts B Lock',
      })
    ).id;
    await post(admin, 'POST', `/api/v1/models/${ids.modelA}/firmware`, { version: '1.0.0' });
    await post(admin, 'POST', `/api/v1/models/${ids.modelB}/firmware`, { version: '9.9.9' });
    await post(admin, 'PUT', `/api/v1/suppliers/${ids.factoryA}/models`, {
      models: [{ modelId: ids.modelA, relation: 'builds' }],
    });
    await post(admin, 'PUT', `/api/v1/suppliers/${ids.partsB}/models`, {
      models: [{ modelId: ids.modelB, relation: 'supplies-parts' }],
    });
    analyst = await createTestUser(rig.product, 'analyst', { name: 'Ana Analyst' });
    supplierUser = await createTestUser(rig.product, 'supplier', {
      supplierId: ids.factoryA,
      name: 'Sam Supplier',
    });
  });
  after(async () => rig?.stop());

  it('shows missing safeguards at a glance and records one as agreed, with an evidence file', {
    skip,
  }, async () => {
    const { context, page, errors } = await rig.signedInPage(analyst);
    await page.getByRole('link', { name: 'Suppliers' }).click();
    const row = page.locator('#suppliers tbody tr', { hasText: 'Shenzhen Factory A' });
    await row.waitFor();
    assert.match(await textOf(row), /0 of 6 in place/);
    assert.match(
      await textOf(row),
      /SBOM delivered with every firmware/,
      'missing items are named in the list',
    );
    assert.match(await textOf(row), /Factory A Lock/);
    await shootBothWidths(page, 'suppliers');

    await row.getByRole('link', { name: 'Shenzhen Factory A' }).click();
    await page.getByRole('heading', { name: 'Shenzhen Factory A', level: 1 }).waitFor();
    const item = page.locator('article', { hasText: "The maker's right to audit" });
    await item.getByText('Change status').click();
    await item.getByLabel('Status').selectOption('agreed');
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await item.getByLabel('Date').fill(yesterday);
    await item.getByLabel('Evidence link').fill('https://docs.example.com/contracts/factory-a-2026.pdf');
    await item.getByRole('button', { name: 'Save safeguard' }).click();
    await item.locator('.pill', { hasText: 'Agreed' }).waitFor();
    await page.locator('dl.facts').getByText('1 of 6 in place').waitFor();

    // A rule of the checklist is explained by the server, next to the field.
    const sbomItem = page.locator('article', { hasText: 'SBOM delivered with every firmware' });
    await sbomItem.getByText('Change status').click();
    await sbomItem.getByLabel('Status').selectOption('verified');
    await sbomItem.getByRole('button', { name: 'Save safeguard' }).click();
    await sbomItem.getByRole('alert').waitFor();
    assert.match(await textOf(sbomItem.getByRole('alert')), /evidence/);

    await item.getByText('Add an evidence file').click();
    const evidence = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'openpsirt-evidence-')),
      'audit-clause.pdf',
    );
    fs.writeFileSync(evidence, '%PDF-1.4\n% audit clause, signed\n');
    await item.getByLabel('Evidence file').setInputFiles(evidence);
    await item.getByRole('button', { name: 'Attach file' }).click();
    await item.getByRole('link', { name: 'audit-clause.pdf' }).waitFor();
    await shootBothWidths(page, 'supplier-detail');

    // Which models the supplier works on is edited as a whole and saved through PUT …/models.
    await page.getByText('Change models').click();
    await page.getByLabel('Relation to L1 Smart Lock · Factory A Lock').selectOption('supplies-parts');
    await page.getByLabel('Model to add').waitFor();
    await page.getByRole('button', { name: 'Save models' }).click();
    await page.locator('#supplier-models').getByText('Supplies parts').waitFor();
    errors.check('supplier detail');
    await context.close();
  });

  it("shows a supplier's user its own models and firmware only, and nothing of another supplier", {
    skip,
  }, async () => {
    const { context, page, errors } = await rig.signedInPage(supplierUser);
    await page.getByRole('heading', { name: 'Your supplier: Shenzhen Factory A' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/console/supplier');

    const nav = await textOf(page.getByRole('navigation', { name: 'Console' }));
    assert.match(nav, /Your supplier/);
    assert.doesNotMatch(nav, /Inventory|Suppliers|Users|Audit log/);
    const models = page.locator('#supplier-models');
    await models.waitFor();
    assert.match(await textOf(models), /Factory A Lock/);
    const main = await textOf(page.locator('main'));
    assert.doesNotMatch(main, /Parts B Lock|Taipei Parts B/);
    assert.equal(await page.getByText('Change status').count(), 0, 'statuses are set by the maker');
    assert.ok((await page.getByText('Add an evidence file').count()) > 0, 'the supplier can add evidence');
    await shootBothWidths(page, 'supplier-portal');

    await models.getByRole('link', { name: 'Factory A Lock' }).click();
    await page.getByRole('heading', { name: 'Factory A Lock', level: 1 }).waitFor();
    await page.getByRole('link', { name: '1.0.0' }).waitFor();
    await shootBothWidths(page, 'supplier-model');

    // Another supplier's model, typed into the address bar: not found, and nothing of it shown.
    await page.goto(`/console/inventory/models/${ids.modelB}`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await textOf(alert), /HTTP 404/);
    assert.doesNotMatch(await textOf(page.locator('main')), /Parts B Lock|9\.9\.9/);
    await shootBothWidths(page, 'supplier-other-model');

    // The same session asking the API directly gets nothing of supplier B either.
    const answers = await page.evaluate(
      async ({ partsB, modelB }) => {
        const statusOf = async (url: string) => (await fetch(url)).status;
        const products = await (await fetch('/api/v1/products')).json();
        return {
          supplier: await statusOf(`/api/v1/suppliers/${partsB}`),
          checklist: await statusOf(`/api/v1/suppliers/${partsB}/safeguards`),
          model: await statusOf(`/api/v1/models/${modelB}`),
          firmware: await statusOf(`/api/v1/models/${modelB}/firmware`),
          suppliers: await statusOf('/api/v1/suppliers'),
          products: JSON.stringify(products),
        };
      },
      { partsB: ids.partsB, modelB: ids.modelB },
    );
    assert.equal(answers.supplier, 404);
    assert.equal(answers.checklist, 404);
    assert.equal(answers.model, 404);
    assert.equal(answers.firmware, 404);
    assert.doesNotMatch(answers.products, /parts-b-lock|Taipei/);
    errors.check('supplier portal');
    await context.close();
  });
});
