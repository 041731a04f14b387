// Link and merge notices: when reports join a case, every reporter of the case hears of it by mail
// with a fresh link to their own report, in the transaction that links them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { noticeReportersOfLink } from '../../src/cases/reporter-thread/notices.ts';
import { signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.ts';
import type { TestProductHandle } from './fixtures.ts';
import { type Reporter, recipientOf, statusPathIn, submitAsReporter } from './reporter-thread-fixtures.ts';

describe(`reporter thread: link and merge notices (${engine})`, () => {
  let sink: SmtpSink;
  let product: TestProductHandle;
  let analyst: TestSession;

  const deliver = async (): Promise<ParsedMail[]> => {
    const before = sink.mails.length;
    await product.workers.runDue();
    return sink.mails.slice(before);
  };
  const openCase = async (reporter: Reporter) => {
    const response = await analyst.inject({
      method: 'POST',
      url: '/api/v1/cases',
      payload: { reportId: reporter.id },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json() as { id: string; number: string };
  };
  const attach = async (caseId: string, reporter: Reporter) => {
    const response = await analyst.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/reports`,
      payload: { reportId: reporter.id },
    });
    assert.equal(response.statusCode, 200, response.body);
  };
  const statusPage = async (path: string) => {
    const response = await product.app.inject({ url: path });
    assert.equal(response.statusCode, 200, `${path}: ${response.body}`);
    return response.body;
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

  it("mails the attached report's reporter and the earlier reporter, each a link to their own report", async () => {
    const first = await submitAsReporter(product, 'Lock opens over BLE replay', {
      reporterEmail: 'first@example.org',
    });
    const second = await submitAsReporter(product, 'BLE unlock can be replayed', {
      reporterEmail: 'second@example.org',
    });
    const opened = await openCase(first);
    await deliver();
    await attach(opened.id, second);
    const mails = await deliver();
    assert.deepEqual(mails.map(recipientOf).sort(), ['first@example.org', 'second@example.org']);

    const toSecond = mails.find((m) => recipientOf(m) === 'second@example.org');
    assert.ok(toSecond);
    assert.equal(toSecond.subject, `[${second.trackingId}] Your report was linked to case ${opened.number}`);
    assert.match(
      toSecond.text ?? '',
      new RegExp(`already handle as case\\s+${opened.number}, first reported to us on \\d{4}-\\d{2}-\\d{2}`),
    );
    assert.match(toSecond.text ?? '', /We keep your report/);
    const secondPage = await statusPage(statusPathIn(toSecond));
    assert.match(secondPage, new RegExp(`<h1>Report ${second.trackingId}</h1>`));
    assert.match(secondPage, /Linked to a case our team already handles for the same issue/);

    const toFirst = mails.find((m) => recipientOf(m) === 'first@example.org');
    assert.ok(toFirst);
    assert.equal(toFirst.subject, `[${first.trackingId}] Another report of the same issue arrived`);
    const firstPage = await statusPage(statusPathIn(toFirst));
    assert.match(
      firstPage,
      new RegExp(`<h1>Report ${first.trackingId}</h1>`),
      'their own report, not the new one',
    );
    assert.match(firstPage, /Another report of the same issue was linked to yours/);

    for (const mail of mails) {
      assert.equal(mail.html, false, 'plain text only');
      const other = mail === toFirst ? second : first;
      assert.ok(!mail.text?.includes(other.trackingId), "a mail names no other reporter's report");
    }
    assert.equal(
      (await product.app.inject({ url: first.statusPath })).statusCode,
      200,
      'old links still work',
    );
  });

  it('tells a reporter without an email address on the status page only', async () => {
    const known = await submitAsReporter(product, 'Hub telnet', { reporterEmail: 'known@example.org' });
    const silent = await submitAsReporter(product, 'Hub telnet again');
    const opened = await openCase(known);
    await deliver();
    await attach(opened.id, silent);
    const mails = await deliver();
    assert.deepEqual(mails.map(recipientOf), ['known@example.org']);
    assert.match(await statusPage(silent.statusPath), /Linked to a case our team already handles/);
  });

  it('notices every reporter once when several reports join a case at once (as a merge does)', async () => {
    const kept = await submitAsReporter(product, 'Cloud API IDOR', { reporterEmail: 'kept@example.org' });
    const m1 = await submitAsReporter(product, 'IDOR on /devices', { reporterEmail: 'm1@example.org' });
    const m2 = await submitAsReporter(product, 'IDOR on /devices/{id}', { reporterEmail: 'm2@example.org' });
    const opened = await openCase(kept);
    await deliver();
    const analystId = analyst.user.id;
    const queued = await product.deps.db.transaction().execute(async (trx) => {
      for (const r of [m1, m2]) {
        await trx
          .insertInto('case_reports')
          .values({
            report_id: r.id,
            case_id: opened.id,
            relation: 'duplicate',
            attached_at: new Date(),
            attached_by: analystId,
          })
          .execute();
      }
      return noticeReportersOfLink(trx, product.deps, { caseId: opened.id, linkedReportIds: [m1.id, m2.id] });
    });
    assert.equal(queued, 3);
    const mails = await deliver();
    assert.deepEqual(mails.map(recipientOf).sort(), ['kept@example.org', 'm1@example.org', 'm2@example.org']);
    const toKept = mails.find((m) => recipientOf(m) === 'kept@example.org');
    assert.match(toKept?.text ?? '', /2 more reports of the same issue arrived/);
    const events = await product.deps.db
      .selectFrom('report_events')
      .select(['report_id', 'kind'])
      .where('report_id', 'in', [kept.id, m1.id, m2.id])
      .where('kind', 'in', ['linked_to_case', 'duplicate_linked'])
      .execute();
    assert.deepEqual(
      events
        .map((e) => `${e.report_id === kept.id ? 'kept' : e.report_id === m1.id ? 'm1' : 'm2'} ${e.kind}`)
        .sort(),
      ['kept duplicate_linked', 'm1 linked_to_case', 'm2 linked_to_case'],
    );
  });

  it('refuses, and so rolls back, a notice for a report the case does not hold', async () => {
    const lone = await submitAsReporter(product, 'Not linked', { reporterEmail: 'lone@example.org' });
    const holder = await submitAsReporter(product, 'Holder', { reporterEmail: 'holder@example.org' });
    const opened = await openCase(holder);
    await deliver();
    await assert.rejects(
      product.deps.db
        .transaction()
        .execute((trx) =>
          noticeReportersOfLink(trx, product.deps, { caseId: opened.id, linkedReportIds: [lone.id] }),
        ),
      /not every report is linked/,
    );
    assert.deepEqual(await deliver(), []);
  });
});
