import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import type { TestProductHandle } from './fixtures.ts';

describe(`cases: the response policy over HTTP (${engine})`, () => {
  let product: TestProductHandle;
  let admin: TestSession;
  let analyst: TestSession;
  before(async () => {
    product = await startTestProduct({ demo: false });
    admin = await signInAs(product, 'admin');
    analyst = await signInAs(product, 'analyst');
  });
  after(() => product.stop());

  const put = (as: TestSession, payload: object) =>
    as.inject({ method: 'PUT', url: '/api/v1/response-policy', payload });

  it('shows the defaults to staff', async () => {
    const response = await analyst.inject({ url: '/api/v1/response-policy' });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), {
      acknowledgeWithinBusinessDays: 2,
      triageWithinDays: 7,
      fixWithinDays: { critical: 30, high: 60, medium: 90, low: 180 },
      disclosureWithinDays: 90,
      timeZone: 'UTC',
      workingDays: [1, 2, 3, 4, 5],
      holidays: [],
    });
  });

  it('lets an admin change settings, audits what changed with from and to, and cases follow it', async () => {
    const response = await put(admin, {
      timeZone: 'Europe/Berlin',
      holidays: ['2026-12-26', '2026-12-25'],
      triageWithinDays: 7,
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().timeZone, 'Europe/Berlin');
    assert.deepEqual(response.json().holidays, ['2026-12-25', '2026-12-26']);
    const audit = await product.deps.db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'detail'])
      .where('action', '=', 'RESPONSE_POLICY_CHANGED')
      .execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.actor, `user:${admin.user.id}`);
    assert.deepEqual(audit[0]?.detail, {
      timeZone: { from: 'UTC', to: 'Europe/Berlin' },
      holidays: { from: [], to: ['2026-12-25', '2026-12-26'] },
    });
    assert.equal((await put(admin, { timeZone: 'Europe/Berlin' })).statusCode, 200);
    const again = await product.deps.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'RESPONSE_POLICY_CHANGED')
      .execute();
    assert.equal(again.length, 1, 'an edit that changes nothing is not audited');
    const read = (await analyst.inject({ url: '/api/v1/response-policy' })).json();
    assert.equal(read.timeZone, 'Europe/Berlin');
  });

  it('refuses bad settings naming each field, and refuses analysts', async () => {
    const bad = await put(admin, {
      fixWithinDays: { critical: 90, high: 60, medium: 90, low: 180 },
      timeZone: 'Mars/Olympus',
      color: 'red',
    });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(Object.keys(bad.json().fields).sort(), ['color', 'fixWithinDays.critical', 'timeZone']);
    assert.equal((await put(analyst, { triageWithinDays: 5 })).statusCode, 403);
    assert.equal((await analyst.inject({ url: '/api/v1/response-policy' })).json().triageWithinDays, 7);
  });
});
