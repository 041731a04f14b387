// The reporter follows the case: each move of the case changes what the status page says, adds a
// timeline entry, and mails the reporter (with a fresh link) when there is news; a published case
// credits the reporters who chose to be named on the acknowledgments page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.ts';
import type { TestProductHandle } from './fixtures.ts';
import { recipientOf, statusPathIn, submitAsReporter } from './reporter-thread-fixtures.ts';

describe(`reporter status follows the case (${engine})`, () => {
  let sink: SmtpSink;
  let product: TestProductHandle;
  let analyst: TestSession;

  const deliver = async (): Promise<ParsedMail[]> => {
    const before = sink.mails.length;
    await product.workers.runDue();
    return sink.mails.slice(before);
  };
  const move = async (caseId: string, to: string, reason?: string) => {
    const response = await analyst.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/transitions`,
      payload: { to, ...(reason ? { reason } : {}) },
    });
    assert.equal(response.statusCode, 200, response.body);
  };
  const statusOf = async (path: string) => {
    const page = (await product.app.inject({ url: path })).body;
    return page.match(/<dd id="report-status">([^<]*)<\/dd>/)?.[1] ?? '';
  };

  before(async () => {
    sink = await startSmtpSink();
    product = await startTestProduct({ env: { SMTP_URL: sink.url, WORKERS: 'false' } });
    analyst = await signInAs(product, 'analyst');
  });
  after(async () => {
    await product.stop();
    await sink.close();
  });

  it('tells the reporter of each step, by status page and mail, and credits them once published', async () => {
    const reporter = await submitAsReporter(product, 'Smoke alarm silenced over Zigbee', {
      reporterEmail: 'finder@example.org',
      credit: 'named',
      creditName: 'Fiona Finder',
    });
    await deliver(); // the acknowledgement
    const opened = await analyst.inject({
      method: 'POST',
      url: '/api/v1/cases',
      payload: { reportId: reporter.id },
    });
    assert.equal(opened.statusCode, 201, opened.body);
    const caseId = opened.json().id as string;
    assert.match(await statusOf(reporter.statusPath), /^Received/);

    await move(caseId, 'triage');
    assert.match(await statusOf(reporter.statusPath), /^Being assessed/);
    const [triageMail, ...more] = await deliver();
    assert.equal(more.length, 0);
    assert.equal(recipientOf(triageMail as ParsedMail), 'finder@example.org');
    assert.match(triageMail?.text ?? '', /is now:\nBeing assessed/);
    assert.doesNotMatch(triageMail?.text ?? '', /Zigbee/, 'nothing the reporter wrote is in the mail');
    const freshLink = statusPathIn(triageMail as ParsedMail);
    assert.match(await statusOf(freshLink), /^Being assessed/, 'the fresh link opens the same report');

    await move(caseId, 'confirmed');
    assert.equal((await deliver()).length, 1);
    await move(caseId, 'fixing');
    assert.equal((await deliver()).length, 0, 'fixing is still "confirmed" for the reporter: no mail');
    await move(caseId, 'fix-available');
    await move(caseId, 'disclosed');
    assert.equal((await deliver()).length, 2);
    assert.match(await statusOf(reporter.statusPath), /^Published/);

    const thanks = (await product.app.inject({ url: '/acknowledgments' })).body;
    assert.match(thanks, /Fiona Finder/);
    await move(caseId, 'closed');
    assert.equal((await deliver()).length, 0, 'closing after publication is no news');
    assert.match(await statusOf(reporter.statusPath), /^Closed/);
    assert.match(
      (await product.app.inject({ url: '/acknowledgments' })).body,
      /Fiona Finder/,
      'still credited',
    );

    const page = (await product.app.inject({ url: reporter.statusPath })).body;
    for (const step of [
      'Status: Being assessed',
      'Status: Confirmed',
      'Status: A fix is available',
      'Status: Published',
      'Status: Closed',
    ]) {
      assert.ok(page.includes(step), `the timeline shows "${step}"`);
    }
  });

  it('closes a report as not a vulnerability, and does not credit unpublished or anonymous reporters', async () => {
    const reporter = await submitAsReporter(product, 'Doorbell chime too loud', {
      reporterEmail: 'loud@example.org',
      credit: 'named',
      creditName: 'Larry Loud',
    });
    const anonymous = await submitAsReporter(product, 'Camera admin page without password', {
      reporterEmail: 'anon@example.org',
      credit: 'anonymous',
    });
    await deliver();
    const caseOf = async (reportId: string) =>
      (await analyst.inject({ method: 'POST', url: '/api/v1/cases', payload: { reportId } })).json()
        .id as string;
    const chime = await caseOf(reporter.id);
    await move(chime, 'triage');
    await move(chime, 'not-a-vulnerability', 'Loudness is a setting, not a flaw.');
    assert.match(await statusOf(reporter.statusPath), /not a vulnerability/);
    const camera = await caseOf(anonymous.id);
    for (const step of ['triage', 'confirmed', 'fixing', 'fix-available', 'disclosed'])
      await move(camera, step);
    const thanks = (await product.app.inject({ url: '/acknowledgments' })).body;
    assert.doesNotMatch(thanks, /Larry Loud/);
    assert.doesNotMatch(thanks, new RegExp(anonymous.trackingId));
  });

  it('gives a report attached to a case the case status, with the link mail only', async () => {
    const first = await submitAsReporter(product, 'Lock firmware downgrade', {
      reporterEmail: 'one@example.org',
    });
    const second = await submitAsReporter(product, 'Lock accepts older firmware', {
      reporterEmail: 'two@example.org',
    });
    await deliver();
    const caseId = (
      await analyst.inject({ method: 'POST', url: '/api/v1/cases', payload: { reportId: first.id } })
    ).json().id as string;
    await move(caseId, 'triage');
    await deliver();
    const attached = await analyst.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/reports`,
      payload: { reportId: second.id },
    });
    assert.equal(attached.statusCode, 200, attached.body);
    assert.match(await statusOf(second.statusPath), /^Being assessed/);
    const mails = await deliver();
    assert.deepEqual(mails.map(recipientOf).sort(), ['one@example.org', 'two@example.org'], 'one mail each');
  });
});
