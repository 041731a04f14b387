import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, it } from 'node:test';
import { newWebhookSecret, signWebhook, verifyWebhookSignature } from '../../src/webhooks/signature.ts';

describe('webhook signatures (Standard Webhooks)', () => {
  const secret = newWebhookSecret(crypto.randomBytes(32));
  const now = new Date('2027-03-01T12:00:00Z');
  const timestamp = Math.floor(now.getTime() / 1000);
  const body = JSON.stringify({ id: 'evt_1', type: 'case.created', occurredAt: now.toISOString(), data: {} });
  const headers = (overrides: Record<string, string> = {}) => ({
    'webhook-id': 'evt_1',
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(secret, 'evt_1', timestamp, body),
    ...overrides,
  });

  it('signs HMAC-SHA256 over id.timestamp.body with the decoded secret, as v1,<base64>', () => {
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    assert.equal(key.length, 32);
    const expected = crypto.createHmac('sha256', key).update(`evt_1.${timestamp}.${body}`).digest('base64');
    assert.equal(signWebhook(secret, 'evt_1', timestamp, body), `v1,${expected}`);
  });

  it('accepts a genuine message and refuses a tampered body, a wrong secret or another id', () => {
    assert.equal(verifyWebhookSignature(secret, headers(), body, { now }), true);
    assert.equal(
      verifyWebhookSignature(secret, headers(), body.replace('created', 'overdue'), { now }),
      false,
    );
    const other = newWebhookSecret(crypto.randomBytes(32));
    assert.equal(verifyWebhookSignature(other, headers(), body, { now }), false);
    assert.equal(verifyWebhookSignature(secret, headers({ 'webhook-id': 'evt_2' }), body, { now }), false);
  });

  it('refuses a timestamp outside the tolerance, and missing or malformed headers', () => {
    const late = new Date(now.getTime() + 301_000);
    assert.equal(verifyWebhookSignature(secret, headers(), body, { now: late }), false);
    assert.equal(verifyWebhookSignature(secret, headers(), body, { now: late, toleranceSeconds: 600 }), true);
    assert.equal(
      verifyWebhookSignature(secret, { ...headers(), 'webhook-signature': undefined }, body, { now }),
      false,
    );
    assert.equal(
      verifyWebhookSignature(secret, headers({ 'webhook-timestamp': 'soon' }), body, { now }),
      false,
    );
    assert.equal(
      verifyWebhookSignature(secret, headers({ 'webhook-signature': 'v1,' }), body, { now }),
      false,
    );
    const v2 = headers()['webhook-signature'].replace('v1,', 'v2,');
    assert.equal(verifyWebhookSignature(secret, headers({ 'webhook-signature': v2 }), body, { now }), false);
  });

  it('accepts a header listing several signatures when one of them is valid (secret rotation)', () => {
    const old = signWebhook(newWebhookSecret(crypto.randomBytes(32)), 'evt_1', timestamp, body);
    const both = `${old} ${headers()['webhook-signature']}`;
    assert.equal(verifyWebhookSignature(secret, headers({ 'webhook-signature': both }), body, { now }), true);
  });
});
