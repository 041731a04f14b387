// The reporter thread: staff write to the reporter of one report of a case; that reporter alone
// reads it on the status page, gets a mail with a fresh link, and replies into the same thread.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { REMOVED_BODY } from '../../src/mail/jobs.ts';
import { signInAs, type TestSession } from '../support/auth.ts';
import { multipartBody } from '../support/multipart.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.ts';
import { caseEvents, type TestProductHandle } from './fixtures.ts';
import {
  type Reporter,
  recipientOf,
  statusPathIn,
  submitAsReporter,
  tablesContaining,
} from './reporter-thread-fixtures.ts';

type Message = {
  id: string;
  author: { kind: string; label: string };
  body: string;
  createdAt: string;
  files: { id: string; fileName: string; size: number; sha256: string; declaredType: string }[];
};

describe(`reporter thread (${engine})`, () => {
  let sink: SmtpSink;
  let product: TestProductHandle;
  let analyst: TestSession;
  let auditor: TestSession;
  /** One case holding two reports: A (origin) and B (attached duplicate), both with an email. */
  let caseId: string;
  let a: Reporter;
  let b: Reporter;

  const thread = (reportId: string, as: TestSession = analyst) =>
    as.inject({ url: `/api/v1/cases/${caseId}/reports/${reportId}/messages` });
  const post = (reportId: string, payload: object, as: TestSession = analyst) =>
    as.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/reports/${reportId}/messages`, payload });
  const page = async (path: string) => {
    const response = await product.app.inject({ url: path });
    assert.equal(response.statusCode, 200, response.body);
    return response.body;
  };
  /** Sends every queued mail; returns the mails that arrived meanwhile. */
  const deliver = async (): Promise<ParsedMail[]> => {
    const before = sink.mails.length;
    await product.workers.runDue();
    return sink.mails.slice(before);
  };

  before(async () => {
    sink = await startSmtpSink();
    product = await startTestProduct({ env: { SMTP_URL: sink.url, WORKERS: 'false' } });
    analyst = await signInAs(product, 'analyst', { name: 'Ana Lyst' });
    auditor = await signInAs(product, 'auditor');
    a = await submitAsReporter(product, 'Camera RTSP without auth', { reporterEmail: 'a@example.org' });
    b = await submitAsReporter(product, 'RTSP stream open', { reporterEmail: 'b@example.org' });
    const opened = await analyst.inject({
      method: 'POST',
      url: '/api/v1/cases',
      payload: { reportId: a.id },
    });
    assert.equal(opened.statusCode, 201, opened.body);
    caseId = opened.json().id;
    const attached = await analyst.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/reports`,
      payload: { reportId: b.id },
    });
    assert.equal(attached.statusCode, 200, attached.body);
    await deliver();
  });
  after(async () => {
    await product.stop();
    await sink.close();
  });

  it("shows a staff message on its reporter's status page and nowhere for the case's other reporter", async () => {
    const secret = 'We reproduced it on firmware 2.1.0; can you confirm 2.0.9?';
    const sent = await post(a.id, { body: secret });
    assert.equal(sent.statusCode, 201, sent.body);
    const message = sent.json() as Message;
    assert.deepEqual(message.author, { kind: 'staff', label: 'Ana Lyst' });
    assert.equal(message.body, secret);

    const pageA = await page(a.statusPath);
    assert.ok(pageA.includes(secret), 'the reporter of A reads it');
    assert.match(pageA, /<strong>Security team<\/strong>/);
    assert.ok(!pageA.includes('Ana Lyst'), 'the reporter sees the team, not the person');
    assert.match(pageA, /The security team wrote to you/, 'the timeline says so');

    const pageB = await page(b.statusPath);
    assert.ok(!pageB.includes(secret), 'the reporter of B never sees a message to A');
    assert.ok(!pageB.includes('The security team wrote to you'));
    const jsonB = await product.app.inject({ url: `/api/v1/reports/status/${b.token}` });
    assert.deepEqual(jsonB.json().messages, []);

    const threadA = (await thread(a.id)).json() as { items: Message[] };
    assert.deepEqual(
      threadA.items.map((m) => m.id),
      [message.id],
    );
    const threadB = (await thread(b.id, auditor)).json() as { items: Message[] };
    assert.deepEqual(threadB.items, [], "B's thread holds nothing of A's");
  });

  it('records the message as a case event by ids only, never its body', async () => {
    const body = 'Case-event check: this sentence must stay out of the event trail';
    const sent = (await post(a.id, { body })).json() as Message;
    const events = await caseEvents(product, caseId);
    const last = events.at(-1);
    assert.equal(last?.kind, 'REPORTER_MESSAGE_SENT');
    assert.deepEqual(last?.to, { reportId: a.id, messageId: sent.id });
    assert.ok(!JSON.stringify(events).includes('Case-event check'));
    const view = (await analyst.inject({ url: `/api/v1/cases/${caseId}` })).json();
    assert.equal(view.events.at(-1).kind, 'REPORTER_MESSAGE_SENT');
  });

  it('mails the reporter a fresh link that opens the status page; the old link keeps working; a reply through it lands in the same thread', async () => {
    await product.workers.runDue();
    const body = 'Please send the pcap of the session.';
    const sent = (await post(a.id, { body })).json() as Message;
    const mails = await deliver();
    assert.equal(mails.length, 1, 'one mail, to A only');
    const [mail] = mails;
    assert.ok(mail);
    assert.equal(recipientOf(mail), 'a@example.org');
    assert.match(mail.subject ?? '', new RegExp(`^\\[${a.trackingId}\\] A message from the`));
    assert.ok(!mail.text?.includes(body), 'the message itself stays out of the mail');
    assert.equal(mail.html, false, 'plain text only');

    const fresh = statusPathIn(mail);
    assert.notEqual(fresh, a.statusPath, 'a new link, not the first one');
    const viaFresh = await page(fresh);
    assert.ok(viaFresh.includes(body));
    assert.match(viaFresh, new RegExp(`<h1>Report ${a.trackingId}</h1>`));
    assert.ok((await page(a.statusPath)).includes(body), 'the link from submission still works');

    const reply = await product.app.inject({
      method: 'POST',
      url: `${fresh}/replies`,
      payload: new URLSearchParams({ body: 'Here it is, see attachment soon.' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(reply.statusCode, 201, reply.body);
    const items = ((await thread(a.id)).json() as { items: Message[] }).items;
    const last = items.at(-1);
    assert.equal(last?.body, 'Here it is, see attachment soon.');
    assert.deepEqual(last?.author, { kind: 'reporter', label: 'Reporter' });
    assert.equal(items.at(-2)?.id, sent.id, 'oldest first, the reply after the message it answers');
  });

  it('leaves the new link in no table once the mail is sent', async () => {
    await deliver();
    await post(a.id, { body: 'Token check' });
    const queued = await product.deps.db
      .selectFrom('jobs')
      .select(['id', 'payload'])
      .where('type', '=', 'MAIL_SEND')
      .where('state', '=', 'queued')
      .execute();
    const [job] = queued;
    assert.ok(job && queued.length === 1);
    const token = (job.payload as { text: string }).text.match(/\/status\/([A-Za-z0-9_-]{43})/)?.[1];
    assert.ok(token);
    assert.deepEqual(await tablesContaining(product.deps.db, token), ['jobs'], 'until sent, only the job');
    const [mail] = await deliver();
    assert.ok(mail?.text?.includes(token));
    assert.deepEqual(await tablesContaining(product.deps.db, token), []);
    const sentJob = await product.deps.db
      .selectFrom('jobs')
      .select(['state', 'payload'])
      .where('id', '=', job.id)
      .executeTakeFirstOrThrow();
    assert.equal(sentJob.state, 'done');
    assert.equal((sentJob.payload as { text: string }).text, REMOVED_BODY);
    assert.equal((await product.app.inject({ url: `/status/${token}` })).statusCode, 200);
  });

  it('takes files in multipart, lists them, and lets staff download them as bytes', async () => {
    const content = '<html><script>alert(1)</script></html>';
    const upload = multipartBody([
      { name: 'body', value: 'A patched build to test' },
      { name: 'attachments', filename: 'notes.html', type: 'text/html', content },
    ]);
    const response = await analyst.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/reports/${a.id}/messages`,
      ...upload,
    });
    assert.equal(response.statusCode, 201, response.body);
    const message = response.json() as Message;
    assert.equal(message.files.length, 1);
    const [file] = message.files;
    assert.ok(file);
    assert.equal(file.fileName, 'notes.html');
    assert.equal(file.size, Buffer.byteLength(content));
    assert.equal(file.declaredType, 'text/html');

    const download = await auditor.inject({
      url: `/api/v1/cases/${caseId}/reports/${a.id}/files/${file.id}`,
    });
    assert.equal(download.statusCode, 200);
    assert.equal(download.body, content);
    assert.equal(download.headers['content-type'], 'application/octet-stream');
    assert.match(String(download.headers['content-disposition']), /^attachment; filename="notes.html"/);
    assert.equal(download.headers['x-content-type-options'], 'nosniff');

    const wrongReport = await analyst.inject({
      url: `/api/v1/cases/${caseId}/reports/${b.id}/files/${file.id}`,
    });
    assert.equal(wrongReport.statusCode, 404, "a file of A is not reachable through B's thread");
    assert.match(await page(a.statusPath), /notes\.html \(\d+ bytes\)/);
  });

  it('answers 404 for a report that is not in the case, and lets auditors read but not write', async () => {
    const outsider = await submitAsReporter(product, 'Unrelated report');
    assert.equal((await thread(outsider.id)).statusCode, 404);
    assert.equal((await post(outsider.id, { body: 'x' })).statusCode, 404);
    assert.equal((await thread(a.id, auditor)).statusCode, 200);
    assert.equal((await post(a.id, { body: 'x' }, auditor)).statusCode, 403);
    const messages = await product.deps.db
      .selectFrom('report_messages')
      .select('id')
      .where('report_id', '=', outsider.id)
      .execute();
    assert.deepEqual(messages, []);
  });

  it('refuses an empty message and stores nothing', async () => {
    const count = async () =>
      (
        await product.deps.db
          .selectFrom('report_messages')
          .select('id')
          .where('report_id', '=', a.id)
          .execute()
      ).length;
    const before = await count();
    const empty = await post(a.id, { body: '   ' });
    assert.equal(empty.statusCode, 400);
    assert.equal(empty.json().fields.body, 'is empty: write a message or attach a file');
    assert.equal(await count(), before);
  });

  it('writes to a reporter without an email address on the status page only', async () => {
    const silent = await submitAsReporter(product, 'Anonymous finding');
    const attached = await analyst.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/reports`,
      payload: { reportId: silent.id },
    });
    assert.equal(attached.statusCode, 200);
    await deliver();
    const sent = await post(silent.id, { body: 'Thanks, we are on it.' });
    assert.equal(sent.statusCode, 201);
    assert.deepEqual(await deliver(), [], 'no mail');
    const links = await product.deps.db
      .selectFrom('report_access_links')
      .select('id')
      .where('report_id', '=', silent.id)
      .execute();
    assert.deepEqual(links, [], 'no link made for nobody');
    assert.ok((await page(silent.statusPath)).includes('Thanks, we are on it.'));
  });
});
