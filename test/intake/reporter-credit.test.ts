// Reporter credit with consent: chosen at submission or later on the status page (no script
// needed), named only with an explicit consent, recorded on the report, its timeline and its case.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';

type Product = Awaited<ReturnType<typeof startTestProduct>>;

const form = (fields: Record<string, string>) => ({
  payload: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

describe(`reporter credit (${engine})`, () => {
  let product: Product;
  let analyst: TestSession;
  let now = new Date('2026-11-30T09:00:00.000Z');

  const submit = async (extra: Record<string, string> = {}) => {
    const response = await product.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { title: 'Router admin page XSS', description: 'Stored XSS in the SSID field.', ...extra },
    });
    assert.equal(response.statusCode, 201, response.body);
    const { trackingId, statusToken } = response.json() as { trackingId: string; statusToken: string };
    const row = await product.deps.db
      .selectFrom('reports')
      .select('id')
      .where('tracking_id', '=', trackingId)
      .executeTakeFirstOrThrow();
    return { id: row.id, trackingId, path: `/status/${statusToken}` };
  };
  const credit = (path: string, fields: Record<string, string>) =>
    product.app.inject({ method: 'POST', url: `${path}/credit`, ...form(fields) });
  const stored = (id: string) =>
    product.deps.db
      .selectFrom('reports')
      .select(['credit', 'credit_name', 'credit_consent_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const creditEvents = (id: string) =>
    product.deps.db
      .selectFrom('report_events')
      .select(['kind', 'public', 'detail'])
      .where('report_id', '=', id)
      .where('kind', '=', 'credit_changed')
      .execute();

  before(async () => {
    product = await startTestProduct({ clock: () => now });
    analyst = await signInAs(product, 'analyst');
  });
  after(() => product.stop());

  it('counts a named choice at submission as consent given then, and anonymous as none', async () => {
    const named = await submit({ credit: 'named', creditName: 'A. Researcher' });
    assert.deepEqual(await stored(named.id), {
      credit: 'named',
      credit_name: 'A. Researcher',
      credit_consent_at: now,
    });
    const anonymous = await submit({ credit: 'anonymous' });
    assert.deepEqual(await stored(anonymous.id), {
      credit: 'anonymous',
      credit_name: null,
      credit_consent_at: null,
    });
    const page = (await product.app.inject({ url: named.path })).body;
    assert.match(
      page,
      /You will be credited as <strong class="verbatim">A\. Researcher<\/strong> \(you agreed on <time/,
    );
    assert.match(page, /<form method="post" action="\/status\/[A-Za-z0-9_-]{43}\/credit" novalidate>/);
    assert.match((await product.app.inject({ url: anonymous.path })).body, /You stay anonymous/);
  });

  it('refuses to name a reporter without the consent box ticked, with a clear error, and changes nothing', async () => {
    const report = await submit({ credit: 'anonymous' });
    const refused = await credit(report.path, { credit: 'named', creditName: 'Grace H.' });
    assert.equal(refused.statusCode, 400);
    assert.match(
      refused.body,
      /<p class="error" id="creditConsent-error">The consent box must be ticked to be named/,
    );
    assert.match(
      refused.body,
      /<input type="radio" name="credit" value="named" checked>/,
      'the choice is kept',
    );
    assert.match(refused.body, /value="Grace H\."/, 'the name is kept');
    assert.deepEqual(await stored(report.id), {
      credit: 'anonymous',
      credit_name: null,
      credit_consent_at: null,
    });
    assert.deepEqual(await creditEvents(report.id), []);

    const noName = await credit(report.path, { credit: 'named', creditName: '  ', creditConsent: 'yes' });
    assert.equal(noName.statusCode, 400);
    assert.match(noName.body, /Name is required to be named/);
    const unknown = await credit(report.path, { credit: 'famous' });
    assert.equal(unknown.statusCode, 400);
    const stray = await credit(report.path, { credit: 'anonymous', admin: '1' });
    assert.equal(stray.statusCode, 400);
    assert.deepEqual(await creditEvents(report.id), []);
  });

  it('records a named choice with consent: the time, a public timeline entry and a case event', async () => {
    const report = await submit({ credit: 'anonymous' });
    const opened = await analyst.inject({
      method: 'POST',
      url: '/api/v1/cases',
      payload: { reportId: report.id },
    });
    assert.equal(opened.statusCode, 201);
    const caseId = opened.json().id as string;
    now = new Date('2026-11-30T09:30:00.000Z');
    const saved = await credit(report.path, {
      credit: 'named',
      creditName: 'Grace H.',
      creditConsent: 'yes',
    });
    assert.equal(saved.statusCode, 200, saved.body);
    assert.match(saved.body, /Your credit choice was saved\./);
    assert.match(saved.body, /You will be credited as <strong class="verbatim">Grace H\.<\/strong>/);
    assert.match(saved.body, /You changed how we credit you/);
    assert.deepEqual(await stored(report.id), {
      credit: 'named',
      credit_name: 'Grace H.',
      credit_consent_at: now,
    });
    assert.deepEqual(await creditEvents(report.id), [
      { kind: 'credit_changed', public: true, detail: { credit: 'named' } },
    ]);

    const view = (await analyst.inject({ url: `/api/v1/cases/${caseId}` })).json();
    const event = view.events.at(-1);
    assert.equal(event.kind, 'CREDIT_CHANGED');
    assert.equal(event.actor, `reporter:${report.trackingId}`);
    assert.deepEqual(event.from, {
      reportId: report.id,
      credit: 'anonymous',
      creditName: null,
      consentAt: null,
    });
    assert.deepEqual(event.to, {
      reportId: report.id,
      credit: 'named',
      creditName: 'Grace H.',
      consentAt: now.toISOString(),
    });
    const shown = view.reports.find((r: { id: string }) => r.id === report.id);
    assert.deepEqual(
      { credit: shown.credit, creditName: shown.creditName, creditConsentAt: shown.creditConsentAt },
      { credit: 'named', creditName: 'Grace H.', creditConsentAt: now.toISOString() },
    );
    const staffReport = (await analyst.inject({ url: `/api/v1/reports/${report.id}` })).json();
    assert.equal(staffReport.creditConsentAt, now.toISOString());

    const same = await credit(report.path, { credit: 'named', creditName: 'Grace H.', creditConsent: 'yes' });
    assert.match(same.body, /Your credit choice is unchanged\./);
    assert.equal((await creditEvents(report.id)).length, 1, 'choosing the same again records nothing');

    const back = await credit(report.path, { credit: 'anonymous' });
    assert.equal(back.statusCode, 200);
    assert.deepEqual(await stored(report.id), {
      credit: 'anonymous',
      credit_name: null,
      credit_consent_at: null,
    });
    const last = (await analyst.inject({ url: `/api/v1/cases/${caseId}` })).json().events.at(-1);
    assert.equal(last.kind, 'CREDIT_CHANGED');
    assert.equal(last.to.credit, 'anonymous');
  });

  it('answers an unknown link with 404 and no change', async () => {
    const response = await credit(`/status/${'x'.repeat(43)}`, { credit: 'anonymous' });
    assert.equal(response.statusCode, 404);
  });
});
