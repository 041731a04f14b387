import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { simpleParser } from 'mailparser';
import { openDatabase } from '../../src/db/database.ts';
import { engine, freshDatabase, startTestProduct, tempDir } from '../support/product.ts';
import { startSmtpSink } from '../support/smtp-sink.ts';

type Product = Awaited<ReturnType<typeof startTestProduct>>;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function submit(product: Product, fields: Record<string, string>) {
  const response = await product.app.inject({ method: 'POST', url: '/api/v1/reports', payload: fields });
  assert.equal(response.statusCode, 201, response.body);
  return response.json() as { trackingId: string; statusUrl: string };
}

const mailJobs = (product: Product) =>
  product.deps.db
    .selectFrom('jobs')
    .select(['state', 'payload', 'attempts'])
    .where('type', '=', 'MAIL_SEND')
    .execute();

const eventsOf = async (product: Product, trackingId: string) =>
  (
    await product.deps.db
      .selectFrom('report_events')
      .innerJoin('reports', 'reports.id', 'report_events.report_id')
      .select('report_events.kind')
      .where('reports.tracking_id', '=', trackingId)
      .orderBy('report_events.id')
      .execute()
  ).map((e) => e.kind);

describe(`acknowledgement mail (${engine})`, () => {
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let product: Product;
  before(async () => {
    sink = await startSmtpSink();
    product = await startTestProduct({ env: { SMTP_URL: sink.url, WORKERS: 'true' } });
  });
  after(async () => {
    await product.stop();
    await sink.close();
  });

  it('sends exactly one plain-text mail with the tracking id and the status link to the reporter', async () => {
    const report = await submit(product, {
      title: 'Cloud API leaks other users’ clips',
      description: 'GET /clips?user= returns any user’s recordings.',
      reporterEmail: 'ada@example.org',
    });
    const [mail] = await sink.waitForMails(1);
    assert.ok(mail);
    await waitFor('the job to finish', async () =>
      (await mailJobs(product)).every((job) => job.state === 'done') ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(sink.mails.length, 1, 'one mail, not one per poll');
    assert.equal(mail.to && !Array.isArray(mail.to) ? mail.to.text : '', 'ada@example.org');
    assert.equal(mail.from?.text, product.config.mailFrom);
    assert.equal(mail.subject, `[${report.trackingId}] We received your vulnerability report`);
    assert.equal(mail.html, false, 'no HTML part');
    assert.deepEqual(mail.attachments, []);
    assert.ok(mail.text?.includes(`tracking id ${report.trackingId}`), mail.text);
    assert.ok(mail.text?.includes(report.statusUrl), mail.text);
    assert.deepEqual(await eventsOf(product, report.trackingId), ['received', 'acknowledgement_queued']);
  });

  it('sends no mail and queues no job when the reporter gives no address', async () => {
    const jobsBefore = (await mailJobs(product)).length;
    const mailsBefore = sink.mails.length;
    const report = await submit(product, { title: 'Anonymous', description: 'No address given.' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal((await mailJobs(product)).length, jobsBefore);
    assert.equal(sink.mails.length, mailsBefore);
    assert.deepEqual(await eventsOf(product, report.trackingId), ['received']);
    const page = await product.app.inject({ method: 'GET', url: new URL(report.statusUrl).pathname });
    assert.doesNotMatch(page.body, /Acknowledgement sent/);
  });
});

describe(`queued acknowledgement mail across a restart (${engine})`, () => {
  const dataDir = tempDir();
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  before(async () => {
    database = await freshDatabase();
    sink = await startSmtpSink();
  });
  after(async () => {
    await sink.close();
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const sameData = () => ({ dataDir, ...(database.url ? { databaseUrl: database.url } : {}) });

  it('keeps the job through a restart and sends it once workers run', async () => {
    const first = await startTestProduct({ ...sameData(), env: { WORKERS: 'false' } });
    const report = await submit(first, {
      title: 'Lock opens with a replayed frame',
      description: 'Captured BLE frames unlock the door again.',
      reporterEmail: 'grace@example.org',
    });
    await first.stop();

    const offline = await openDatabase({ dataDir, databaseUrl: database.url });
    const queued = await offline.db.selectFrom('jobs').select(['type', 'state', 'payload']).execute();
    await offline.close();
    const [job] = queued;
    assert.equal(queued.length, 1);
    assert.ok(job);
    assert.equal(job.type, 'MAIL_SEND');
    assert.equal(job.state, 'queued');
    assert.equal((job.payload as { to: string }).to, 'grace@example.org');
    assert.equal(sink.mails.length, 0, 'nothing was sent before the restart');

    const second = await startTestProduct({ ...sameData(), env: { WORKERS: 'true', SMTP_URL: sink.url } });
    try {
      const [mail] = await sink.waitForMails(1);
      assert.ok(mail?.text?.includes(report.trackingId));
      assert.ok(mail?.text?.includes(report.statusUrl));
      const job = await waitFor('the job to be done', async () => {
        const [row] = await mailJobs(second);
        return row?.state === 'done' ? row : undefined;
      });
      assert.equal(job.attempts, 1);
      assert.equal(sink.mails.length, 1);
    } finally {
      await second.stop();
    }
  });
});

describe(`acknowledgement mail without an SMTP relay (${engine})`, () => {
  let product: Product;
  before(async () => {
    product = await startTestProduct({ env: { WORKERS: 'true' } });
  });
  after(() => product.stop());

  it('writes the mail as an .eml file under DATA_DIR/mail', async () => {
    const report = await submit(product, {
      title: 'Smoke alarm firmware is unsigned',
      description: 'The OTA update accepts any image.',
      reporterEmail: 'linus@example.org',
    });
    const outbox = path.join(product.dataDir, 'mail');
    const [file] = await waitFor('the .eml file', async () => {
      const files = fs.existsSync(outbox) ? fs.readdirSync(outbox).filter((f) => f.endsWith('.eml')) : [];
      return files.length > 0 ? files : undefined;
    });
    assert.ok(file);
    const raw = fs.readFileSync(path.join(outbox, file));
    assert.ok(raw.toString().includes(report.trackingId), 'the tracking id is readable in the file');
    const mail = await simpleParser(raw);
    assert.equal(mail.to && !Array.isArray(mail.to) ? mail.to.text : '', 'linus@example.org');
    assert.equal(mail.html, false);
    assert.ok(mail.text?.includes(report.statusUrl));
    await waitFor('the job to be done', async () =>
      (await mailJobs(product)).every((job) => job.state === 'done') ? true : undefined,
    );
  });
});
