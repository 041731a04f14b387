import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { Workers } from '../../src/queue/workers.ts';
import { deliverWebhookJob } from '../../src/webhooks/delivery.ts';
import { emitWebhookEvent, WEBHOOK_DELIVER, webhookMaxAttempts } from '../../src/webhooks/events.ts';
import { verifyWebhookSignature } from '../../src/webhooks/signature.ts';
import { signInAs, type TestSession } from '../support/auth.ts';
import { engine, freshDatabase, startTestProduct, tempDir } from '../support/product.ts';
import { type Receiver, startReceiver } from './receiver.ts';

type TestProduct = Awaited<ReturnType<typeof startTestProduct>>;

describe(`webhook delivery (${engine})`, () => {
  let product: TestProduct;
  let admin: TestSession;
  let receiver: Receiver;
  let now = new Date();
  const clock = () => now;
  const advance = (seconds: number) => {
    now = new Date(now.getTime() + seconds * 1000);
  };
  let eventCounter = 0;

  before(async () => {
    product = await startTestProduct({ clock, demo: false });
    admin = await signInAs(product, 'admin');
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver.close();
    await product.stop();
  });

  async function register(url: string, events: string[]): Promise<{ id: string; secret: string }> {
    const response = await admin.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      payload: { url, events },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json();
  }

  async function emit(
    p: Pick<TestProduct, 'deps'>,
    type: 'case.created' | 'case.state_changed' | 'case.overdue',
  ) {
    const id = `evt_${engine}_${++eventCounter}`;
    const queued = await p.deps.db.transaction().execute((trx) =>
      emitWebhookEvent(trx, {
        type,
        id,
        occurredAt: now,
        data: { caseId: 'c-1', number: 'PSIRT-2027-0001' },
      }),
    );
    return { id, queued };
  }

  const deliveries = (webhookId: string, query = '') =>
    admin.inject({ url: `/api/v1/webhooks/${webhookId}/deliveries${query}` }).then((r) => {
      assert.equal(r.statusCode, 200, r.body);
      return r.json() as { items: Array<Record<string, unknown>>; total: number };
    });

  it('POSTs the event as signed JSON that the receiver verifies with its secret', async () => {
    const hook = await register(receiver.url, ['case.created']);
    const { id, queued } = await emit(product, 'case.created');
    assert.equal(queued, 1);
    assert.equal(receiver.received.length, 0, 'nothing is sent inline');
    await product.workers.runDue();

    assert.equal(receiver.received.length, 1);
    const request = receiver.received[0];
    assert.ok(request);
    assert.equal(request.method, 'POST');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['webhook-id'], id);
    assert.equal(request.headers['webhook-timestamp'], String(Math.floor(now.getTime() / 1000)));
    assert.match(String(request.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]+=*$/);
    assert.equal(verifyWebhookSignature(hook.secret, request.headers, request.body, { now }), true);
    assert.equal(
      verifyWebhookSignature(hook.secret, request.headers, request.body.replace('0001', '0002'), { now }),
      false,
      'a tampered body fails',
    );
    const other = await register(`${receiver.url}?other`, ['case.overdue']);
    assert.equal(verifyWebhookSignature(other.secret, request.headers, request.body, { now }), false);
    assert.deepEqual(JSON.parse(request.body), {
      id,
      type: 'case.created',
      occurredAt: now.toISOString(),
      data: { caseId: 'c-1', number: 'PSIRT-2027-0001' },
    });

    const page = await deliveries(hook.id);
    assert.equal(page.total, 1);
    assert.equal(page.items[0]?.state, 'delivered');
    assert.equal(page.items[0]?.attempts, 1);
    assert.equal(page.items[0]?.lastStatusCode, 200);
    assert.equal(String(page.items[0]?.lastResponseExcerpt).length, 256, 'only a short excerpt is kept');
    await product.deps.db.updateTable('webhook_endpoints').set({ active: false, disabled_at: now }).execute();
  });

  it('retries a receiver answering 500 twice and delivers on the third attempt', async () => {
    receiver.received.length = 0;
    const hook = await register(receiver.url, ['case.state_changed']);
    receiver.answers.push(500, 500);
    const { id } = await emit(product, 'case.state_changed');

    await product.workers.runDue();
    assert.equal(receiver.received.length, 1);
    let [delivery] = (await deliveries(hook.id)).items;
    assert.equal(delivery?.state, 'pending');
    assert.equal(delivery?.lastStatusCode, 500);
    assert.match(String(delivery?.lastError), /answered 500/);

    await product.workers.runDue();
    assert.equal(receiver.received.length, 1, 'the retry waits for its backoff');
    advance(2);
    await product.workers.runDue();
    assert.equal(receiver.received.length, 2, 'second attempt after 2 s');
    advance(4);
    await product.workers.runDue();
    assert.equal(receiver.received.length, 3, 'third attempt after 4 s more');

    [delivery] = (await deliveries(hook.id)).items;
    assert.equal(delivery?.state, 'delivered');
    assert.equal(delivery?.attempts, 3);
    assert.equal(delivery?.lastError, null);
    assert.ok(
      receiver.received.every((r) => r.headers['webhook-id'] === id),
      'the same message id on every try',
    );
    const last = receiver.received[2];
    assert.ok(last && verifyWebhookSignature(hook.secret, last.headers, last.body, { now }));
    await product.deps.db.updateTable('webhook_endpoints').set({ active: false, disabled_at: now }).execute();
  });

  it('marks a delivery failed after the last attempt, and never follows a redirect', async () => {
    receiver.received.length = 0;
    const hook = await register(receiver.url, ['case.overdue']);
    const { id } = await emit(product, 'case.overdue');
    await product.deps.db
      .updateTable('jobs')
      .set({ max_attempts: 2 })
      .where('type', '=', 'WEBHOOK_DELIVER')
      .where('state', '=', 'queued')
      .execute();
    receiver.answers.push(302, 503);
    await product.workers.runDue();
    advance(2);
    await product.workers.runDue();
    advance(3600);
    await product.workers.runDue();
    assert.deepEqual(
      receiver.received.map((r) => r.path),
      ['/hook', '/hook'],
      'two attempts, and /elsewhere was never asked',
    );
    const [delivery] = (await deliveries(hook.id, '?state=failed')).items;
    assert.equal(delivery?.eventId, id);
    assert.equal(delivery?.attempts, 2);
    assert.equal(delivery?.lastStatusCode, 503);
    assert.equal((await deliveries(hook.id, '?state=pending')).total, 0);
    await product.deps.db.updateTable('webhook_endpoints').set({ active: false, disabled_at: now }).execute();
  });

  it('sends each endpoint only the event types it subscribed to', async () => {
    receiver.received.length = 0;
    const created = await register(`${receiver.url}/created`, ['case.created']);
    const all = await register(`${receiver.url}/all`, ['*']);
    const changes = await register(`${receiver.url}/changes`, ['case.state_changed', 'case.overdue']);
    assert.equal((await emit(product, 'case.created')).queued, 2);
    assert.equal((await emit(product, 'case.overdue')).queued, 2);
    await product.workers.runDue();
    const got = (path: string) =>
      receiver.received.filter((r) => r.path === path).map((r) => JSON.parse(r.body).type as string);
    assert.deepEqual(got('/hook/created'), ['case.created']);
    assert.deepEqual(got('/hook/all').sort(), ['case.created', 'case.overdue']);
    assert.deepEqual(got('/hook/changes'), ['case.overdue']);
    for (const hook of [created, all, changes]) {
      const r = await admin.inject({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}` });
      assert.equal(r.statusCode, 200);
    }
  });

  it('queues an event id once per endpoint and cancels what is pending when the endpoint is disabled', async () => {
    receiver.received.length = 0;
    const hook = await register(receiver.url, ['case.created']);
    const eventId = `evt_${engine}_twice`;
    const event = { type: 'case.created' as const, id: eventId, occurredAt: now, data: {} };
    assert.equal(await emitWebhookEvent(product.deps.db, event), 1);
    assert.equal(await emitWebhookEvent(product.deps.db, event), 0, 'the same event id again queues nothing');
    const disabled = await admin.inject({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}` });
    assert.equal(disabled.json().active, false);
    assert.equal(await emitWebhookEvent(product.deps.db, { ...event, id: `${eventId}-later` }), 0);
    await product.workers.runDue();
    assert.equal(receiver.received.length, 0);
    const [delivery] = (await deliveries(hook.id)).items;
    assert.equal(delivery?.state, 'cancelled');
  });

  it("sends a signed 'ping' through the queue for the test button", async () => {
    receiver.received.length = 0;
    const hook = await register(receiver.url, ['case.overdue']);
    const response = await admin.inject({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/test` });
    assert.equal(response.statusCode, 202, response.body);
    assert.equal(receiver.received.length, 0);
    await product.workers.runDue();
    const [request] = receiver.received;
    assert.ok(request);
    assert.equal(JSON.parse(request.body).type, 'ping');
    assert.equal(request.headers['webhook-id'], response.json().eventId);
    assert.ok(verifyWebhookSignature(hook.secret, request.headers, request.body, { now }));
    await admin.inject({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}` });
    const refused = await admin.inject({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/test` });
    assert.equal(refused.statusCode, 409);
  });
  it('gives up on a receiver that does not answer within the timeout, and retries later', async () => {
    const silent = http.createServer(() => {
      // Never answers.
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/slow`;
    const workers = new Workers({ db: product.deps.db, clock, log: pino({ level: 'silent' }) });
    workers.register(WEBHOOK_DELIVER, deliverWebhookJob({ db: product.deps.db, clock, timeoutMs: 200 }));
    try {
      const hook = await register(url, ['case.created']);
      await emit(product, 'case.created');
      const started = Date.now();
      assert.equal(await workers.runDue(), 1);
      assert.ok(Date.now() - started < 5000, 'the attempt ended at the timeout');
      const [delivery] = (await deliveries(hook.id)).items;
      assert.equal(delivery?.state, 'pending');
      assert.equal(delivery?.lastStatusCode, null);
      assert.equal(delivery?.lastError, 'no answer within the timeout');
      const [job] = await product.deps.db
        .selectFrom('jobs')
        .selectAll()
        .where('type', '=', WEBHOOK_DELIVER)
        .where('state', '=', 'queued')
        .execute();
      assert.equal(job?.attempts, 1);
      assert.equal(job?.max_attempts, webhookMaxAttempts);
      assert.ok(job && job.run_at > now, 'retried later, with backoff');
      await admin.inject({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}` });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe(`webhook delivery across a restart (${engine})`, () => {
  it('delivers an event queued before the product stopped once it runs again', async () => {
    const database = await freshDatabase();
    const dataDir = tempDir();
    const receiver = await startReceiver();
    const options = { dataDir, demo: false, ...(database.url ? { databaseUrl: database.url } : {}) };
    try {
      const first = await startTestProduct(options);
      const admin = await signInAs(first, 'admin');
      const created = await admin.inject({
        method: 'POST',
        url: '/api/v1/webhooks',
        payload: { url: receiver.url, events: ['*'] },
      });
      const { secret } = created.json() as { secret: string };
      await first.deps.db.transaction().execute((trx) =>
        emitWebhookEvent(trx, {
          type: 'case.created',
          id: 'evt_restart',
          occurredAt: new Date(),
          data: {},
        }),
      );
      await first.stop();
      assert.equal(receiver.received.length, 0);

      const second = await startTestProduct(options);
      try {
        await second.workers.runDue();
      } finally {
        await second.stop();
      }
      assert.equal(receiver.received.length, 1);
      const [request] = receiver.received;
      assert.ok(request && verifyWebhookSignature(secret, request.headers, request.body));
      assert.equal(JSON.parse(request.body).id, 'evt_restart');
    } finally {
      await receiver.close();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
