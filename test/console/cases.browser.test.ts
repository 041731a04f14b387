// The case screens in real Chromium: the inbox with filters in the address, search and the keyboard;
// the incoming reports; the case page with its moves, clocks, CVSS calculator, CWE, people, affected
// models, reports, threads and timeline, as an analyst; read-only as an auditor; the reduced view as a
// supplier, at 390 px. Screenshots land in out/screenshots/ for a person to look at.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { createTestUser, signInAs, type TestSession, type TestUser } from '../support/auth.ts';
import {
  type ConsoleRig,
  haveChromium,
  NARROW,
  shootBothWidths,
  skipWithoutChromium as skip,
  startConsoleRig,
  textOf,
} from '../support/console-browser.ts';
import { engine } from '../support/product.ts';

type Json = Record<string, unknown>;

async function call(session: TestSession, method: string, url: string, payload?: Json) {
  const response = await session.inject({
    method: method as 'GET',
    url,
    ...(payload ? { payload } : {}),
  });
  assert.ok(response.statusCode < 300, `${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json() as Json & { id: string };
}

async function submitReport(rig: ConsoleRig, title: string, extra: Json = {}) {
  const response = await rig.product.app.inject({
    method: 'POST',
    url: '/api/v1/reports',
    payload: {
      title,
      description: `Details of ${title}.\nSecond line.`,
      reporterName: 'Rita Reporter',
      ...extra,
    },
  });
  assert.equal(response.statusCode, 201, response.body);
  const row = await rig.product.deps.db
    .selectFrom('reports')
    .select('id')
    .where('tracking_id', '=', response.json().trackingId)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Whether a route of the contract exists yet (another helper may still be building it). */
async function routeExists(session: TestSession, url: string) {
  const response = await session.inject({ method: 'GET', url });
  return !(response.statusCode === 404 && /Nothing at /.test(response.body));
}

const rowsOf = (page: Page) => page.locator('#cases tbody tr');

/** Waits until the locator matches exactly `count` elements (the page's CSP forbids string waits). */
async function waitForCount(locator: Locator, count: number, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  let seen = await locator.count();
  while (seen !== count) {
    if (Date.now() > deadline) assert.fail(`expected ${count} matches, saw ${seen}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    seen = await locator.count();
  }
}

describe(`console case screens in Chromium (${engine})`, () => {
  let rig: ConsoleRig;
  let lead: TestSession;
  let analyst: TestUser;
  let auditor: TestUser;
  let supplierUser: TestUser;
  const ids = { camera: '', lock: '', closed: '', supplier: '', lockModel: '', incoming: '' };

  before(async () => {
    if (!haveChromium) return;
    rig = await startConsoleRig();
    lead = await signInAs(rig.product, 'analyst', { name: 'Lea Lead' });
    analyst = await createTestUser(rig.product, 'analyst', { name: 'Ana Analyst' });
    auditor = await createTestUser(rig.product, 'auditor', { name: 'Otto Auditor' });
    ids.supplier = (
      await call(lead, 'POST', '/api/v1/suppliers', { name: 'Shenzhen Optics', country: 'CN' })
    ).id;
    supplierUser = await createTestUser(rig.product, 'supplier', {
      supplierId: ids.supplier,
      name: 'Sam Supplier',
    });

    const open = async (title: string) =>
      (await call(lead, 'POST', '/api/v1/cases', { reportId: await submitReport(rig, title) })).id;
    ids.camera = await open('Camera RTSP stream readable without authentication');
    ids.lock = await open('Lock accepts a replayed BLE unlock frame');
    ids.closed = await open('Doorbell chime too loud');
    await call(lead, 'PATCH', `/api/v1/cases/${ids.camera}`, {
      cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
      supplierId: ids.supplier,
      assigneeUserId: lead.user.id,
      summary: 'The RTSP port answers without credentials.\nSeen on 1.2.0 and later.',
    });
    await call(lead, 'POST', `/api/v1/cases/${ids.camera}/transitions`, { to: 'triage' });
    await call(lead, 'PATCH', `/api/v1/cases/${ids.lock}`, {
      cvssVector: 'CVSS:3.1/AV:P/AC:H/PR:N/UI:N/S:U/C:N/I:L/A:N',
    });
    await call(lead, 'POST', `/api/v1/cases/${ids.closed}/transitions`, { to: 'triage' });
    await call(lead, 'POST', `/api/v1/cases/${ids.closed}/transitions`, {
      to: 'not-a-vulnerability',
      reason: 'Volume is a setting',
    });
    ids.incoming = await submitReport(rig, 'Smoke alarm web page leaks the Wi-Fi password');
    await submitReport(rig, 'Camera stream open without a password on port 554');
    await submitReport(rig, 'Doorbell debug port left open');
  });
  after(async () => rig?.stop());

  it('lists cases with filters in the address, search, and j/k/Enter to open one', { skip }, async () => {
    const { context, page, errors } = await rig.signedInPage(analyst);
    assert.equal(new URL(page.url()).pathname, '/console/cases', 'staff land on the inbox');
    await rowsOf(page).first().waitFor();
    // The default view holds the cases still being worked on; the closed one needs "Open only" off.
    await waitForCount(rowsOf(page), 2);
    await page.getByLabel('Open only').uncheck();
    await page.waitForURL(/open=false/);
    await waitForCount(rowsOf(page), 3);
    assert.match(await textOf(page.locator('#cases')), /Doorbell chime too loud/);
    await page.getByLabel('Open only').check();
    await page.waitForURL((url) => url.search === '');
    await waitForCount(rowsOf(page), 2);
    await page.getByLabel('Open only').blur();
    const camera = rowsOf(page).filter({ hasText: 'Camera RTSP stream' });
    assert.match(await textOf(camera), /Triage/);
    assert.match(await textOf(camera), /Medium 5\.3|High 7\.5/);
    assert.match(await textOf(camera), /Lea Lead/);
    assert.match(await textOf(camera), /Shenzhen Optics/);

    // A filter goes into the address; Back returns to the view before it.
    await page.getByLabel('State').selectOption('triage');
    await page.waitForURL(/state=triage/);
    await waitForCount(rowsOf(page), 1);
    assert.match(await textOf(rowsOf(page)), /Camera RTSP stream/);
    await page.getByLabel('Severity').selectOption('high');
    await page.waitForURL(/severity=high/);
    await page.locator('#cases tbody tr').first().waitFor();
    await page.goBack();
    await page.waitForURL((url) => url.search === '?state=triage');
    assert.equal(await page.getByLabel('Severity').inputValue(), '');
    await page.goBack();
    await page.waitForURL((url) => url.pathname === '/console/cases' && url.search === '');
    await waitForCount(rowsOf(page), 2);

    // `/` focuses the search box; the search goes into the address.
    await page.locator('body').press('/');
    assert.equal(await page.evaluate('document.activeElement.id'), 'case-search');
    await page.keyboard.type('RTSP');
    await page.keyboard.press('Enter');
    await page.waitForURL(/q=RTSP/);
    await waitForCount(rowsOf(page), 1);
    assert.match(await textOf(rowsOf(page)), /Camera RTSP/, 'the search finds the one case about RTSP');
    // Overdue only: none of these cases has missed a deadline yet.
    await page.getByLabel('Overdue only').check();
    await page.waitForURL(/overdue=true/);
    await page.getByText('No cases match this view.').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL((url) => url.search === '');
    await waitForCount(rowsOf(page), 2);
    await shootBothWidths(page, 'cases-inbox');

    // j and k move a visible focus through the rows; Enter opens the focused case.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    const first = String(await page.evaluate('document.activeElement.textContent'));
    await page.keyboard.press('j');
    const second = String(await page.evaluate('document.activeElement.textContent'));
    assert.notEqual(first, second);
    assert.equal(await page.locator('#cases tbody tr.selected').count(), 1);
    await page.keyboard.press('k');
    assert.equal(String(await page.evaluate('document.activeElement.textContent')), first);
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    assert.equal(outline, 'solid', 'the focused row link shows the focus ring');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console\/cases\/[0-9a-f-]{36}$/);
    await page.locator('h1').waitFor();
    assert.equal((await textOf(page.locator('h1'))).trim(), first.replace(/^CASE-\d{4}-\d+\s*/, '').trim());
    errors.check('inbox');
    await context.close();
  });

  it('opens a case from an incoming report, and attaches another to an existing case', { skip }, async () => {
    const { context, page, errors } = await rig.signedInPage(analyst);
    await page.getByRole('main').getByRole('link', { name: 'Incoming reports' }).click();
    await page.waitForURL(/view=reports/);
    const smoke = page.locator('#incoming-reports > li', { hasText: 'Smoke alarm web page' });
    await smoke.getByRole('button', { name: /Review/ }).click();
    await smoke.getByText('Rita Reporter').first().waitFor();
    assert.match(await textOf(smoke), /Details of Smoke alarm web page leaks the Wi-Fi password\./);
    await smoke.getByLabel('Case title').fill('S5 setup page leaks the Wi-Fi password');
    await smoke.getByRole('button', { name: 'Open a case' }).click();
    await page.getByRole('heading', { name: 'S5 setup page leaks the Wi-Fi password', level: 1 }).waitFor();
    await page.locator('#case-reports').getByText('opened the case').waitFor();

    await page.goto('/console/cases?view=reports');
    const dup = page.locator('#incoming-reports > li', { hasText: 'port 554' });
    await dup.getByRole('button', { name: /Review/ }).click();
    await dup.getByLabel('Case it repeats').waitFor();
    const option = dup.getByLabel('Case it repeats').locator('option', { hasText: 'Camera RTSP stream' });
    await option.first().waitFor({ state: 'attached' });
    await dup.getByLabel('Case it repeats').selectOption({ value: ids.camera });
    await dup.getByRole('button', { name: 'Attach as duplicate' }).click();
    await page.waitForURL(new RegExp(`/console/cases/${ids.camera}$`));
    await page.locator('#case-reports').getByText('duplicate', { exact: true }).waitFor();
    errors.check('incoming reports');
    await context.close();
  });

  it('works a case: moves, the 409 message, CVSS 3.1 and 4.0, CWE, people, affects, threads, timeline', {
    skip,
  }, async () => {
    const { context, page, errors } = await rig.signedInPage(analyst);
    await page.goto(`/console/cases/${ids.lock}`);
    await page.getByRole('heading', { name: 'Lock accepts a replayed BLE unlock frame' }).waitFor();

    // The clocks: acknowledge and triage run from the report's arrival.
    const clocks = page.locator('#case-clocks');
    await clocks
      .getByText(/Acknowledge/i)
      .first()
      .waitFor();
    assert.match(await textOf(clocks), /left|overdue by/);
    assert.match(await textOf(clocks), /Running/);

    // Moves: only those the workflow allows are offered; one that needs a reason asks for it.
    const moves = page.locator('#state-moves');
    assert.deepEqual(await moves.getByRole('button').allTextContents(), ['Triage']);
    await moves.getByRole('button', { name: 'Triage' }).click();
    await moves.getByRole('button', { name: 'Out of scope' }).waitFor();
    await moves.getByRole('button', { name: 'Out of scope' }).click();
    await moves.getByLabel(/Why is it out of scope/).fill('Needs physical access to a lock already open');
    // Meanwhile a colleague confirms the case: the server refuses the move and says why.
    await call(lead, 'POST', `/api/v1/cases/${ids.lock}/transitions`, { to: 'confirmed' });
    await moves.getByRole('button', { name: 'Move to Out of scope' }).click();
    const refusal = moves.getByRole('alert');
    await refusal.waitFor();
    assert.match(await textOf(refusal), /cannot go from confirmed to out-of-scope/);
    assert.match(await textOf(refusal), /HTTP 409/);
    await page.reload();
    await page.locator('#state-moves').getByRole('button', { name: 'Fixing' }).waitFor();

    // Marked actively exploited: the CRA clocks start and each draft can be copied.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: rig.baseUrl });
    await clocks.getByText('Dates the clocks run on').click();
    const awareAt = new Date(Date.now() - 2 * 3_600_000);
    const local = new Date(awareAt.getTime() - awareAt.getTimezoneOffset() * 60_000)
      .toISOString()
      .slice(0, 16);
    await clocks.getByLabel('Aware of active exploitation since').fill(local);
    await clocks.getByRole('button', { name: 'Save dates' }).click();
    const early = clocks.locator('.clock', {
      hasText: 'CRA early warning of an actively exploited vulnerability',
    });
    await early.waitFor();
    assert.match(await textOf(early), /Running/);
    assert.match(
      await textOf(early),
      /2[12] h \d+ min left/,
      'the 24 hours run from the moment of awareness',
    );
    const draft = clocks.locator('details.cra-draft', {
      hasText: 'Early warning notification of an actively exploited',
    });
    await draft.locator('summary').click();
    await draft.getByRole('button', { name: 'Copy text' }).click();
    await draft.getByText('Copied to the clipboard.').waitFor();
    const copied = String(await page.evaluate('navigator.clipboard.readText()'));
    assert.equal(copied, await textOf(draft.locator('.draft-text')));
    assert.match(copied, /Lock accepts a replayed BLE unlock frame|\[to be completed\]/);
    await draft.getByRole('button', { name: 'Mark submitted now' }).click();
    await clocks
      .locator('.clock', { hasText: 'CRA early warning of an actively exploited' })
      .getByText('Met')
      .waitFor();

    // CVSS 4.0 chosen metric by metric: the vector and score are computed in the browser.
    await page.locator('#cvss-calculator summary').click();
    const calc = page.locator('#cvss-calculator');
    await calc.getByLabel('CVSS 4.0').check();
    const choose = async (metric: string, value: string) =>
      calc.getByLabel(new RegExp(`\\(${metric}\\)`)).selectOption(value);
    for (const [metric, value] of [
      ['AV', 'N'],
      ['AC', 'L'],
      ['AT', 'N'],
      ['PR', 'N'],
      ['UI', 'N'],
      ['VC', 'H'],
      ['VI', 'H'],
      ['VA', 'H'],
      ['SC', 'N'],
      ['SI', 'N'],
    ] as const) {
      await choose(metric, value);
    }
    assert.match(await textOf(calc.locator('.cvss-result')), /Choose every metric/);
    await choose('SA', 'N');
    const vector40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
    assert.equal(await textOf(calc.locator('.cvss-vector')), vector40);
    assert.match(await textOf(calc.locator('.cvss-result')), /Critical 9\.3/);
    await calc.getByRole('button', { name: 'Save CVSS vector' }).click();
    await page.getByText('The server scored it 9.3 (critical)').waitFor();
    await page.locator('#case-cvss-vector', { hasText: vector40 }).waitFor();

    // A pasted 3.1 vector fills the metrics; a broken one is explained.
    await page.locator('#cvss-calculator summary').click();
    if (!(await calc.getByLabel('Or paste a vector').isVisible()))
      await page.locator('#cvss-calculator summary').click();
    await calc.getByLabel('Or paste a vector').fill('CVSS:3.1/AV:N/AC:Q');
    await calc.getByRole('button', { name: 'Use vector' }).click();
    await calc.getByRole('alert').waitFor();
    await calc.getByLabel('Or paste a vector').fill('CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    await calc.getByRole('button', { name: 'Use vector' }).click();
    assert.equal(await calc.getByLabel(/\(AV\)/).inputValue(), 'A');
    assert.match(await textOf(calc.locator('.cvss-result')), /High 8\.8/);
    await calc.getByRole('button', { name: 'Save CVSS vector' }).click();
    await page.getByText('The server scored it 8.8 (high)').waitFor();

    // CWE with its name.
    await page.locator('#case-severity').getByLabel('CWE id').fill('CWE-294');
    await page.locator('#case-severity').getByRole('button', { name: 'Save CWE' }).click();
    await page.locator('#case-cwe', { hasText: 'CWE-294' }).waitFor();
    await page.locator('#case-severity').getByLabel('CWE id').fill('CWE-306');
    await page.locator('#case-severity').getByRole('button', { name: 'Save CWE' }).click();
    await page.locator('#case-cwe', { hasText: 'Missing Authentication for Critical Function' }).waitFor();

    // People: the analyst and the supplier.
    await page.locator('#case-people summary').click();
    await page.locator('#case-people').getByLabel('Analyst').selectOption({ label: 'Me (Ana Analyst)' });
    await page.locator('#case-people').getByLabel('Supplier').selectOption({ label: 'Shenzhen Optics' });
    await page.locator('#case-people').getByRole('button', { name: 'Save' }).click();
    await page.locator('#case-people dd', { hasText: 'Ana Analyst' }).waitFor();
    await page.locator('#case-people dd', { hasText: 'Shenzhen Optics' }).waitFor();

    // Affected models from the inventory; a bad range is refused with the server's reason.
    const affects = page.locator('#case-affects');
    await affects.getByRole('button', { name: 'Change affected models' }).click();
    await affects.getByLabel('Product').selectOption({ label: 'L1 Smart Lock' });
    await affects.getByLabel('Model', { exact: true }).selectOption({ label: 'L1 Smart Lock (EU)' });
    await affects.getByRole('button', { name: 'Add model' }).click();
    await affects.getByLabel('Affected versions of L1 Smart Lock (EU)').fill('>= 2.0.0 |');
    await affects.getByRole('button', { name: 'Save affected models' }).click();
    await affects.getByRole('alert').waitFor();
    await affects.getByLabel('Affected versions of L1 Smart Lock (EU)').fill('>= 2.0.0, < 2.4.1');
    await affects.getByLabel('Fixed in (version of L1 Smart Lock (EU))').fill('2.4.1');
    await affects.getByRole('button', { name: 'Save affected models' }).click();
    await affects.locator('.affects li', { hasText: '>= 2.0.0, < 2.4.1' }).waitFor();
    assert.match(await textOf(affects), /fixed in 2\.4\.1/);

    // The timeline names who did what, from and to, and why.
    const timeline = page.locator('#case-timeline');
    await timeline.getByText('Missing Authentication', { exact: false }).count();
    const events = await textOf(timeline);
    assert.match(events, /State\s*New\s*to\s*→?\s*Triage|New.*Triage/s);
    assert.match(events, new RegExp(analyst.email), 'who did it');
    assert.match(events, new RegExp(lead.user.email));
    assert.match(
      events,
      /Affected models\s*none\s*→\s*(to)?\s*L1 Smart Lock \(EU\) >= 2\.0\.0, < 2\.4\.1 \(fixed in 2\.4\.1\)/,
    );
    assert.match(events, /CWE-294.*CWE-306/s);

    await threadChecks(page, lead, ids.lock);
    await shootBothWidths(page, 'case-page');
    errors.check('case page');
    await context.close();
  });

  it('lists possible duplicates of a case and merges one into the case it repeats', { skip }, async () => {
    const repeat = (
      await call(lead, 'POST', '/api/v1/cases', {
        reportId: await submitReport(rig, 'Camera RTSP stream readable without a password'),
      })
    ).id;
    const { context, page, errors } = await rig.signedInPage(analyst);
    await page.goto(`/console/cases/${repeat}`);
    const similar = page.locator('#case-similar');
    const match = similar.locator('li', { hasText: 'Camera RTSP stream readable without authentication' });
    await match.waitFor();
    assert.match(await textOf(match), /similarity \d+%/);
    await match.getByRole('button', { name: /Merge this case into/ }).click();
    await match.getByLabel('Reason (optional)').fill('Same RTSP flaw, reported twice');
    await match.getByRole('button', { name: /^Merge into/ }).click();
    await page.waitForURL(new RegExp(`/console/cases/${ids.camera}$`));
    await page
      .locator('#case-reports', { hasText: 'Camera RTSP stream readable without a password' })
      .waitFor();
    await page.goto(`/console/cases/${repeat}`);
    await page.locator('.case-badges', { hasText: 'Duplicate' }).waitFor();
    assert.equal(await page.locator('#case-similar button', { hasText: 'Merge' }).count(), 0);
    errors.check('merge');
    await context.close();
  });

  it('shows an auditor every case and panel, with nothing to change', { skip }, async () => {
    const { context, page, errors } = await rig.signedInPage(auditor);
    await rowsOf(page).first().waitFor();
    await page.goto(`/console/cases/${ids.camera}`);
    await page.getByRole('heading', { name: /Camera RTSP stream/ }).waitFor();
    await page.locator('#case-reports').getByText('Rita Reporter').first().waitFor();
    await page.locator('#case-timeline').getByText(lead.user.email).first().waitFor();
    for (const absent of ['#state-moves', '#cvss-calculator', '.compose', '#case-people details']) {
      assert.equal(await page.locator(absent).count(), 0, `an auditor gets no ${absent}`);
    }
    assert.equal(await page.getByRole('button', { name: 'Edit title and summary' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Change affected models' }).count(), 0);
    assert.deepEqual(await page.getByRole('tab').allTextContents(), [
      'Reporter',
      'Supplier',
      'Internal notes',
    ]);
    await page.goto('/console/cases?view=reports');
    await page.getByRole('heading', { name: 'Incoming reports' }).waitFor();
    await page
      .locator('#incoming-reports > li')
      .first()
      .getByRole('button', { name: /Review/ })
      .click();
    await page.locator('.report-fields').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Open a case' }).count(), 0);
    errors.check('auditor');
    await context.close();
  });

  it("gives a supplier's user its own cases only, in the reduced view, at 390 px", { skip }, async () => {
    const { context, page, errors } = await rig.signedInPage(supplierUser, NARROW);
    await page.getByRole('button', { name: 'Menu' }).click();
    const nav = page.getByRole('navigation', { name: 'Console' });
    await nav.getByRole('link', { name: 'Cases' }).click();
    await rowsOf(page).first().waitFor();
    const list = await textOf(page.locator('#cases tbody'));
    assert.match(list, /Camera RTSP stream/);
    assert.doesNotMatch(list, /Doorbell chime/);
    assert.equal(await page.getByText('Incoming reports').count(), 0);
    assert.equal(await page.locator('#filter-assignee').count(), 0);
    await shootBothWidths(page, 'cases-inbox-supplier');

    await page.locator('#cases a.case-link', { hasText: 'Camera RTSP stream' }).click();
    await page.getByRole('heading', { name: /Camera RTSP stream/ }).waitFor();
    assert.equal(await page.locator('#case-reports').count(), 0, 'no reports or reporters');
    assert.deepEqual(await page.getByRole('tab').allTextContents(), ['Supplier']);
    const main = await textOf(page.locator('main'));
    assert.doesNotMatch(main, /Rita Reporter|Lea Lead|Internal notes/);
    assert.ok(!main.includes(lead.user.email), 'no staff account is named');
    assert.equal(await page.locator('#state-moves').count(), 0);
    await page.locator('#case-timeline').getByText('Triage').first().waitFor();
    await shootBothWidths(page, 'case-page-supplier');

    // The supplier answers in its thread with fix material.
    const thread = page.getByRole('tabpanel');
    await thread.getByLabel('Message').fill('Patched firmware attached.');
    await thread.getByLabel('Attachments', { exact: true }).setInputFiles({
      name: 'c200-1.2.4.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('firmware bytes'),
    });
    await thread.getByLabel(/fix material/).check();
    await thread.getByRole('button', { name: 'Send' }).click();
    const sent = thread.locator('.messages li', { hasText: 'Patched firmware attached.' });
    await sent.waitFor();
    assert.match(await textOf(sent), /c200-1\.2\.4\.bin/);
    assert.match(await textOf(sent), /fix material/);

    if (await routeExists(lead, `/api/v1/cases/${ids.camera}/supplier-acknowledgement`)) {
      await page.getByRole('button', { name: 'Acknowledge' }).click();
      await page.locator('#supplier-acknowledgement', { hasText: 'You acknowledged this case' }).waitFor();
    }
    errors.check('supplier');
    await context.close();
  });
});

/** The three threads, when the threads API exists: an internal note with an attachment. */
async function threadChecks(page: Page, lead: TestSession, caseId: string) {
  const tabs = await page.getByRole('tab').allTextContents();
  assert.deepEqual(tabs, ['Reporter', 'Supplier', 'Internal notes']);
  if (!(await routeExists(lead, `/api/v1/cases/${caseId}/threads/internal`))) {
    process.stderr.write('NOTE: the threads API does not exist yet; thread posting not tested here\n');
    return;
  }
  await page.getByRole('tab', { name: 'Internal notes' }).click();
  const panel = page.getByRole('tabpanel');
  await panel.getByLabel('Note').fill('Checked on the bench:\nreplay works within 30 s.');
  await panel.getByLabel('Attachments').setInputFiles({
    name: 'bench-log.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('replay ok\n'),
  });
  await panel.getByRole('button', { name: 'Add note' }).click();
  const note = panel.locator('.messages li', { hasText: 'replay works within 30 s.' });
  await note.waitFor();
  assert.match(await textOf(note), /bench-log\.txt/);
  const href = await note.getByRole('link', { name: 'bench-log.txt' }).getAttribute('href');
  assert.match(href ?? '', new RegExp(`^/api/v1/cases/${caseId}/threads/internal/files/`));
  await page.getByRole('tab', { name: 'Supplier' }).click();
  assert.equal(await page.getByRole('tabpanel').getByText('replay works within 30 s.').count(), 0);

  // The reporter thread: the message goes to the reporter of the case's report.
  await page.getByRole('tab', { name: 'Reporter' }).click();
  const reporter = page.getByRole('tabpanel');
  await reporter.getByLabel('Message').fill('Thank you. We reproduced it\nand are working on a fix.');
  await reporter.getByRole('button', { name: 'Send' }).click();
  await reporter.locator('.messages li', { hasText: 'and are working on a fix.' }).waitFor();
}
