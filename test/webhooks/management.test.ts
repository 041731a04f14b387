import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listAudit } from '../../src/platform/audit.ts';
import { signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { countRows } from '../support/rows.ts';

describe(`webhook management (${engine})`, () => {
  let product: Awaited<ReturnType<typeof startTestProduct>>;
  let admin: TestSession;
  before(async () => {
    product = await startTestProduct({ demo: false });
    admin = await signInAs(product, 'admin');
  });
  after(() => product.stop());

  const create = (payload: unknown, who: TestSession = admin) =>
    who.inject({ method: 'POST', url: '/api/v1/webhooks', payload: payload as object });

  const auditOf = (id: string) =>
    listAudit(product.deps.db, { limit: 50, subjectType: 'webhook', subjectId: id });

  it('registers an endpoint, shows its secret once, and audits it without the secret', async () => {
    const response = await create({
      url: 'https://hooks.example.com/openpsirt',
      events: ['case.created', 'case.state_changed', 'case.created'],
      description: '  Slack #psirt  ',
    });
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.headers['cache-control'], 'no-store');
    const hook = response.json();
    assert.match(hook.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.deepEqual(hook.events, ['case.created', 'case.state_changed']);
    assert.equal(hook.description, 'Slack #psirt');
    assert.equal(hook.active, true);
    assert.equal(hook.createdBy, `user:${admin.user.id}`);

    const list = await admin.inject({ url: '/api/v1/webhooks' });
    assert.equal(list.statusCode, 200);
    const listed = list.json().webhooks.find((w: { id: string }) => w.id === hook.id);
    assert.ok(listed);
    assert.equal('secret' in listed, false, 'the list never shows the secret');
    assert.ok(!list.body.includes(hook.secret));

    const [entry] = await auditOf(hook.id);
    assert.equal(entry?.action, 'WEBHOOK_CREATED');
    assert.deepEqual(entry?.detail.events, ['case.created', 'case.state_changed']);
    assert.ok(!JSON.stringify(entry).includes(hook.secret));
  });

  it('requires https except to this machine', async () => {
    for (const url of [
      'http://127.0.0.1:9/hook',
      'http://localhost:8080/x',
      'http://[::1]:9/',
      'https://a.example/',
    ]) {
      const response = await create({ url, events: ['*'] });
      assert.equal(response.statusCode, 201, `${url}: ${response.body}`);
    }
    for (const url of [
      'http://hooks.example.com/x',
      'http://10.0.0.5/x',
      'ftp://a.example/',
      'https://u:p@a.example/',
    ]) {
      const response = await create({ url, events: ['*'] });
      assert.equal(response.statusCode, 400, url);
      assert.ok(response.json().fields.url, url);
    }
  });

  it('refuses bad input with a 4xx and changes nothing', async () => {
    const created = (await create({ url: 'https://keep.example/hook', events: ['case.overdue'] })).json();
    const endpoints = await countRows(product, 'webhook_endpoints');
    const audits = await countRows(product, 'audit_log');
    const bad: Array<[string, unknown, number, string?]> = [
      ['POST', { url: 'not a url', events: ['*'] }, 400, 'url'],
      ['POST', { url: 'https://a.example/', events: [] }, 400, 'events'],
      ['POST', { url: 'https://a.example/', events: ['case.exploded'] }, 400, 'events'],
      ['POST', { url: 'https://a.example/' }, 400],
      ['POST', { url: 'https://a.example/', events: ['*'], secret: 'mine' }, 400],
      ['PATCH', { url: 'http://plain.example/' }, 400, 'url'],
      ['PATCH', { events: ['nope'] }, 400, 'events'],
      ['PATCH', { active: 'yes' }, 400],
    ];
    for (const [method, payload, status, field] of bad) {
      const url = method === 'POST' ? '/api/v1/webhooks' : `/api/v1/webhooks/${created.id}`;
      const response = await admin.inject({ method: method as 'POST', url, payload: payload as object });
      assert.equal(response.statusCode, status, `${method} ${JSON.stringify(payload)}: ${response.body}`);
      if (field) assert.ok(response.json().fields?.[field], `${field} is named`);
    }
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const [method, url] of [
      ['PATCH', `/api/v1/webhooks/${missing}`],
      ['DELETE', `/api/v1/webhooks/${missing}`],
      ['DELETE', '/api/v1/webhooks/not-an-id'],
      ['GET', `/api/v1/webhooks/${missing}/deliveries`],
      ['POST', `/api/v1/webhooks/${missing}/test`],
    ] as const) {
      const response = await admin.inject({
        method,
        url,
        ...(method === 'PATCH' ? { payload: { active: false } } : {}),
      });
      assert.equal(response.statusCode, 404, `${method} ${url}`);
    }
    const badQuery = await admin.inject({ url: `/api/v1/webhooks/${created.id}/deliveries?state=lost` });
    assert.equal(badQuery.statusCode, 400);
    assert.equal(await countRows(product, 'webhook_endpoints'), endpoints);
    assert.equal(await countRows(product, 'audit_log'), audits);
    assert.equal(await countRows(product, 'webhook_deliveries'), 0);
    const after = (await admin.inject({ url: '/api/v1/webhooks' })).json().webhooks;
    const same = after.find((w: { id: string }) => w.id === created.id);
    const { secret: _secret, ...view } = created;
    assert.deepEqual(same, view, 'the endpoint is as it was created');
  });

  it('changes, disables and re-activates an endpoint, auditing each change with from and to', async () => {
    const hook = (await create({ url: 'https://jira-bridge.example/in', events: ['case.created'] })).json();
    const changed = await admin.inject({
      method: 'PATCH',
      url: `/api/v1/webhooks/${hook.id}`,
      payload: { url: 'https://jira-bridge.example/v2', events: ['*'], description: 'Jira' },
    });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json().url, 'https://jira-bridge.example/v2');
    assert.deepEqual(changed.json().events, ['*']);
    assert.equal('secret' in changed.json(), false);

    const disabled = await admin.inject({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}` });
    assert.equal(disabled.statusCode, 200);
    assert.equal(disabled.json().active, false);
    assert.ok(disabled.json().disabledAt);
    const again = await admin.inject({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}` });
    assert.equal(again.statusCode, 200, 'disabling twice is harmless');

    const active = await admin.inject({
      method: 'PATCH',
      url: `/api/v1/webhooks/${hook.id}`,
      payload: { active: true },
    });
    assert.equal(active.json().active, true);
    assert.equal(active.json().disabledAt, null);

    const actions = (await auditOf(hook.id)).map((e) => e.action).reverse();
    assert.deepEqual(actions, ['WEBHOOK_CREATED', 'WEBHOOK_CHANGED', 'WEBHOOK_DISABLED', 'WEBHOOK_CHANGED']);
    const change = (await auditOf(hook.id)).find((e) => e.action === 'WEBHOOK_CHANGED' && e.detail.url);
    assert.deepEqual(change?.detail.url, {
      from: 'https://jira-bridge.example/in',
      to: 'https://jira-bridge.example/v2',
    });
  });

  it('lets only admins manage webhooks', async () => {
    const hook = (await create({ url: 'https://a.example/only-admins', events: ['*'] })).json();
    const before = await countRows(product, 'webhook_endpoints');
    for (const role of ['analyst', 'auditor', 'supplier'] as const) {
      const session = await signInAs(product, role);
      assert.equal((await session.inject({ url: '/api/v1/webhooks' })).statusCode, 403, role);
      assert.equal(
        (await create({ url: 'https://evil.example/', events: ['*'] }, session)).statusCode,
        403,
        role,
      );
      const patch = await session.inject({
        method: 'PATCH',
        url: `/api/v1/webhooks/${hook.id}`,
        payload: { url: 'https://evil.example/' },
      });
      assert.equal(patch.statusCode, 403, role);
      assert.equal(
        (await session.inject({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}` })).statusCode,
        403,
      );
      assert.equal((await session.inject({ url: `/api/v1/webhooks/${hook.id}/deliveries` })).statusCode, 403);
      assert.equal(
        (await session.inject({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/test` })).statusCode,
        403,
      );
    }
    const analystToken = await (await signInAs(product, 'analyst')).createToken();
    assert.equal((await analystToken.inject({ url: '/api/v1/webhooks' })).statusCode, 403);
    const adminToken = await admin.createToken({ role: 'admin' });
    assert.equal((await adminToken.inject({ url: '/api/v1/webhooks' })).statusCode, 200);
    assert.equal((await product.app.inject({ url: '/api/v1/webhooks' })).statusCode, 401);
    assert.equal(await countRows(product, 'webhook_endpoints'), before);
    const row = (await admin.inject({ url: '/api/v1/webhooks' }))
      .json()
      .webhooks.find((w: { id: string }) => w.id === hook.id);
    assert.equal(row.url, 'https://a.example/only-admins');
    assert.equal(row.active, true);
  });

  it('pages deliveries newest first and filters them by state', async () => {
    const hook = (await create({ url: 'https://a.example/paged', events: ['*'] })).json();
    for (let i = 0; i < 3; i++) {
      const r = await admin.inject({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/test` });
      assert.equal(r.statusCode, 202);
    }
    const first = await admin.inject({ url: `/api/v1/webhooks/${hook.id}/deliveries?limit=2` });
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().total, 3);
    assert.equal(first.json().items.length, 2);
    assert.ok(
      first
        .json()
        .items.every(
          (d: { state: string; eventType: string }) => d.state === 'pending' && d.eventType === 'ping',
        ),
    );
    const [newest] = first.json().items;
    assert.equal(newest.payload.type, 'ping', 'the body sent is shown as JSON');
    assert.equal(newest.payload.id, newest.eventId);
    const second = await admin.inject({ url: `/api/v1/webhooks/${hook.id}/deliveries?limit=2&offset=2` });
    assert.equal(second.json().items.length, 1);
    const delivered = await admin.inject({ url: `/api/v1/webhooks/${hook.id}/deliveries?state=delivered` });
    assert.equal(delivered.json().total, 0);
    assert.equal(
      (await admin.inject({ url: `/api/v1/webhooks/${hook.id}/deliveries?limit=0` })).statusCode,
      400,
    );
  });
});
