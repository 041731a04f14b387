import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyWebhookSignature } from '../../src/webhooks/signature.ts';
import { openCase } from '../cases/fixtures.ts';
import { signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { type Receiver, startReceiver } from './receiver.ts';

type TestProduct = Awaited<ReturnType<typeof startTestProduct>>;

describe(`webhook events of cases (${engine})`, () => {
  let product: TestProduct;
  let admin: TestSession;
  let analyst: TestSession;
  let receiver: Receiver;
  let secret: string;
  const now = new Date('2026-11-25T10:00:00.000Z');

  before(async () => {
    product = await startTestProduct({ clock: () => now, demo: false });
    admin = await signInAs(product, 'admin');
    analyst = await signInAs(product, 'analyst');
    receiver = await startReceiver();
    const hook = await admin.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      payload: { url: receiver.url, events: ['case.created', 'case.state_changed'] },
    });
    assert.equal(hook.statusCode, 201, hook.body);
    secret = hook.json().secret;
  });
  after(async () => {
    await receiver.close();
    await product.stop();
  });

  const bodies = () => receiver.received.map((r) => JSON.parse(r.body));

  it('sends case.created, signed, with the case id, number, title, state, severity and console url', async () => {
    receiver.received.length = 0;
    const c = await openCase(product, analyst.inject, 'UART shell without password');
    assert.equal(receiver.received.length, 0, 'nothing is sent inline');
    await product.workers.runDue();
    assert.equal(receiver.received.length, 1);
    const request = receiver.received[0];
    assert.ok(request);
    assert.equal(verifyWebhookSignature(secret, request.headers, request.body, { now }), true);
    assert.deepEqual(JSON.parse(request.body), {
      id: `case.created:${c.id}`,
      type: 'case.created',
      occurredAt: now.toISOString(),
      data: {
        caseId: c.id,
        number: c.number,
        title: 'UART shell without password',
        state: 'new',
        severity: null,
        url: `${product.config.publicUrl.replace(/\/+$/, '')}/console/cases/${c.id}`,
      },
    });
  });

  it('sends case.state_changed for each move with from, to, reopen and the current severity', async () => {
    const c = await openCase(product, analyst.inject, 'Hard-coded TLS key');
    await analyst.inject({
      method: 'PATCH',
      url: `/api/v1/cases/${c.id}`,
      payload: { cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
    });
    await product.workers.runDue();
    receiver.received.length = 0;
    const moves: [string, string?][] = [['triage'], ['out-of-scope', 'Cloud side'], ['triage', 'Device too']];
    for (const [to, reason] of moves) {
      const response = await analyst.inject({
        method: 'POST',
        url: `/api/v1/cases/${c.id}/transitions`,
        payload: { to, ...(reason ? { reason } : {}) },
      });
      assert.equal(response.statusCode, 200, response.body);
    }
    await product.workers.runDue();
    // Deliveries run in parallel, so they may arrive in any order; the event id ends in the case
    // event's id, which gives the order of the moves.
    const seq = (b: { id: string }) => Number(b.id.split(':').at(-1));
    const received = bodies().sort((a, b) => seq(a) - seq(b));
    assert.deepEqual(
      received.map((b) => [b.type, b.data.caseId, b.data.from, b.data.to, b.data.reopen, b.data.severity]),
      [
        ['case.state_changed', c.id, 'new', 'triage', false, 'critical'],
        ['case.state_changed', c.id, 'triage', 'out-of-scope', false, 'critical'],
        ['case.state_changed', c.id, 'out-of-scope', 'triage', true, 'critical'],
      ],
    );
    assert.equal(new Set(received.map((b) => b.id)).size, 3, 'each move is its own event');
    assert.ok(received.every((b) => b.data.number === c.number && b.data.title === 'Hard-coded TLS key'));
    assert.ok(
      received.every((b) => !('reason' in b.data)),
      'reasons stay internal',
    );
  });

  it('emits nothing when the move is refused (the event shares the transaction of the change)', async () => {
    const c = await openCase(product, analyst.inject, 'Refused move');
    await product.workers.runDue();
    const before = await product.deps.db.selectFrom('webhook_deliveries').select('id').execute();
    const refused = await analyst.inject({
      method: 'POST',
      url: `/api/v1/cases/${c.id}/transitions`,
      payload: { to: 'closed' },
    });
    assert.equal(refused.statusCode, 409);
    const afterwards = await product.deps.db.selectFrom('webhook_deliveries').select('id').execute();
    assert.equal(afterwards.length, before.length);
  });
});
