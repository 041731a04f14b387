// The console's remote-update screens in real Chromium: releases of a model, a rollout made through
// the form with a live preview, started, progressing as devices check in and report (chart and
// table), paused; and the fleet coverage on the case the release fixes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { directorRuntime } from '../../src/updates/director/runtime.ts';
import { generateTufKeyPair, tufSigner } from '../../src/updates/tuf/ed25519-keys.ts';
import { initRoot } from '../../src/updates/tuf/root.ts';
import { openCase } from '../cases/fixtures.ts';
import { createTestUser, signInAs, type TestUser } from '../support/auth.ts';
import {
  type ConsoleRig,
  haveChromium,
  shootBothWidths,
  skipWithoutChromium as skip,
  startConsoleRig,
  textOf,
} from '../support/console-browser.ts';
import { engine } from '../support/product.ts';
import { createUpdatableModel, firmwareBytes, releaseFirmware, uploadFirmware } from '../updates/fixtures.ts';
import { checkIn, followInstruction, registerFleet, type SimDevice } from '../updates/rollouts-support.ts';

describe(`console remote updates in Chromium (${engine})`, () => {
  let rig: ConsoleRig;
  let analyst: TestUser;
  let fleet: SimDevice[];
  let model: { id: string; slug: string };
  let caseId = '';

  before(async () => {
    if (!haveChromium) return;
    rig = await startConsoleRig({ TUF_ONLINE_TARGETS: 'true' });
    const product = rig.product;
    analyst = await createTestUser(product, 'analyst', { name: 'Ana Analyst' });
    const api = await signInAs(product, 'analyst');
    const rootKey = generateTufKeyPair();
    await initRoot(product.deps, {
      rootSigners: [tufSigner(rootKey.privateHex)],
      rootKeys: [rootKey],
      threshold: 1,
      targetsKeys: [],
    });
    model = await createUpdatableModel(api.inject);
    // 40 devices the release is for, 10 of a revision it was not built for, 5 already on it.
    fleet = await registerFleet(product, api.inject, model.id, [
      { count: 40, hardwareRevision: 'A', version: '0.9.0' },
      { count: 10, hardwareRevision: 'B', version: '0.9.0' },
      { count: 5, hardwareRevision: 'A', version: '1.0.0' },
    ]);
    const artifact = await uploadFirmware(
      api.inject,
      model.id,
      firmwareBytes(4096, 'console'),
      'cam-1.0.0.bin',
    );
    await releaseFirmware(api.inject, model.id, {
      artifactId: artifact.id,
      version: '1.0.0',
      hardwareRevisions: ['A'],
      installOver: '< 1.0.0',
    });
    await product.workers.runDue(); // the online targets role signs the release
    const c = await openCase(product, api.inject, 'Camera firmware flaw fixed by 1.0.0');
    caseId = c.id;
    const affects = await api.inject({
      method: 'PUT',
      url: `/api/v1/cases/${caseId}/affects`,
      payload: { affects: [{ modelId: model.id, versionRange: '< 1.0.0', fixedIn: '1.0.0' }] },
    });
    assert.equal(affects.statusCode, 200, affects.body);
  });
  after(async () => rig?.stop());

  it('creates a rollout with a preview, shows its progress as devices report, and pauses it', {
    skip,
  }, async () => {
    const { page, errors } = await rig.signedInPage(analyst);
    await page.getByRole('link', { name: 'Updates' }).click();
    await page.getByRole('heading', { name: 'Remote updates' }).waitFor();
    await page.getByLabel('Model').selectOption(model.id);
    const row = page.locator('#releases tr', { hasText: '1.0.0' });
    await row.getByText('signed').waitFor();
    assert.match(await textOf(row), /cam-1\.0\.0\.bin/);

    // Upload a firmware file through the form and release it: it waits for signing.
    const form = page.locator('#release-form');
    await form.getByLabel('Firmware file').setInputFiles({
      name: 'cam-1.1.0.bin',
      mimeType: 'application/octet-stream',
      buffer: firmwareBytes(8192, 'console form'),
    });
    await form.getByLabel('Version').fill('1.1.0');
    await form.getByLabel('Installs over').fill('< 1.1.0');
    await form.getByRole('button', { name: 'Upload and release' }).click();
    await form.getByText('Release 1.1.0 created.').waitFor();
    const newRow = page.locator('#releases tr', { hasText: 'cam-1.1.0.bin' });
    await newRow.getByText('awaiting-signature').waitFor();
    assert.equal(await newRow.getByRole('link', { name: 'New rollout' }).count(), 0);
    await shootBothWidths(page, 'updates-home');

    await row.getByRole('link', { name: 'New rollout' }).click();
    await page.getByRole('heading', { name: 'New rollout' }).waitFor();
    // Two stages: 50 % then everyone.
    await page.getByRole('button', { name: 'Remove' }).nth(1).click();
    await page.getByLabel('Stage 1 percent').fill('50');
    await page.getByLabel('Mode').selectOption('forced');
    const preview = page.locator('#rollout-preview');
    await preview.getByText('40 devices selected.').waitFor();
    await preview.getByText('Stage 1 (50%): 20 devices').waitFor();
    await preview.getByText('Stage 2 (100%): 40 devices').waitFor();
    await page.getByRole('button', { name: 'Add stage' }).click();
    await preview.getByText('Stage 3 (100%): 40 devices').waitFor();
    await page.getByRole('button', { name: 'Remove' }).nth(2).click();
    await page.getByLabel('Installed versions').fill('>= 0.9.0');
    // Settled: no change waiting for the preview, and its answer in.
    await preview.getByText('(updating…)').waitFor({ state: 'detached' });
    await preview.locator('.loading').waitFor({ state: 'detached' });
    assert.equal(await preview.getByText('Stage 3').count(), 0);
    await preview.getByText('40 devices selected.').waitFor();
    await preview.getByText('Stage 2 (100%): 40 devices').waitFor();
    await shootBothWidths(page, 'rollout-form');

    await page.getByRole('button', { name: 'Create draft' }).click();
    await page.getByRole('heading', { name: 'Rollout of 1.0.0' }).waitFor();
    await page.locator('.pill', { hasText: 'draft' }).waitFor();
    await page.getByRole('button', { name: 'Start' }).click();
    await page.locator('.pill', { hasText: 'running' }).waitFor();

    // Devices check in; the offered ones install, the first three fail.
    const offered: SimDevice[] = [];
    for (let attempt = 0; attempt < 20 && offered.length === 0; attempt++) {
      for (const device of fleet) {
        const instruction = await checkIn(rig.product, device);
        if (instruction.action !== 'install') continue;
        offered.push(device);
        await followInstruction(
          rig.product,
          device,
          instruction,
          new Date(),
          offered.length <= 3 ? 'install-failed' : 'installed',
        );
      }
      if (offered.length === 0) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.ok(offered.length >= 10 && offered.length <= 30, `stage 1 reached ${offered.length}`);
    assert.ok(offered.every((device) => device.hardwareRevision === 'A'));
    const installed = offered.length - 3;

    // The page refreshes by itself every 5 seconds while running.
    const stageRow = page.locator('#stage-table tbody tr').first();
    await stageRow.getByRole('cell', { name: String(installed), exact: true }).waitFor({ timeout: 12_000 });
    const cells = await stageRow.locator('td').allTextContents();
    assert.deepEqual(cells.slice(0, 3), ['1', '50%', String(offered.length)]);
    assert.equal(cells[5], String(installed));
    assert.equal(cells[6], '3');
    const bar = page.locator('#stage-progress svg.share-bar').first();
    assert.match(
      (await bar.getAttribute('aria-label')) ?? '',
      new RegExp(
        `${installed} installed, 3 failed, 0 downloaded, not installed yet, 0 downloading, 0 offered`,
      ),
    );
    await shootBothWidths(page, 'rollout-progress');

    await page.getByRole('button', { name: 'Pause' }).click();
    await page.locator('.pill', { hasText: 'paused' }).waitFor();
    await page.locator('#rollout-events').getByText('paused').first().waitFor();
    assert.equal(await page.getByRole('button', { name: 'Resume' }).count(), 1);

    // The case the release fixes: the updated devices tell their new version at their next check-in;
    // exposed devices are the 0.9.0 ones not yet on 1.0.0.
    for (const device of offered) await checkIn(rig.product, device);
    await directorRuntime(rig.product.deps).lastSeen.flush();
    await page.goto(`/console/cases/${caseId}`);
    const coverage = page.locator('#fleet-coverage');
    await coverage
      .getByText(`${50 - installed} exposed · ${5 + installed} fixed · 0 unknown of 55 devices`)
      .waitFor();
    await coverage.scrollIntoViewIfNeeded();
    await shootBothWidths(page, 'case-coverage');
    errors.check('updates screens');
  });
});
