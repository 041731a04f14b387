import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { countBeyondPage } from '../../src/cases/inbox/inbox-store.ts';
import { createTestSupplier, signIn, signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { submitReport, type TestProductHandle } from './fixtures.ts';

type Item = { id: string; number: string; title: string; nextDueAt: string | null; overdue: boolean };
type Page = { items: Item[]; total: number; totalCapped: boolean; limit: number; offset: number };

describe(`cases: the inbox list, its filters, search and order (${engine})`, () => {
  let product: TestProductHandle;
  let analyst: TestSession;
  let supplier: TestSession;
  let now = new Date('2026-01-10T09:00:00.000Z');
  const cases: Record<string, Item> = {};

  async function setNow(at: string) {
    now = new Date(at);
    analyst = await signIn(product, analyst.user);
  }
  async function open(key: string, title: string, at: string, description?: string) {
    await setNow(at);
    const reportId = await submitReport(product, title, description ? { description } : {});
    const response = await analyst.inject({ method: 'POST', url: '/api/v1/cases', payload: { reportId } });
    assert.equal(response.statusCode, 201, response.body);
    cases[key] = response.json();
    return cases[key].id;
  }
  async function call(as: TestSession, method: 'POST' | 'PATCH', url: string, payload: object) {
    const response = await as.inject({ method, url, payload });
    assert.equal(response.statusCode, 200, response.body);
  }
  const moveThrough = async (id: string, states: string[]) => {
    for (const to of states) {
      const reason = ['not-a-vulnerability', 'duplicate', 'out-of-scope'].includes(to) ? 'judged' : undefined;
      await call(analyst, 'POST', `/api/v1/cases/${id}/transitions`, { to, reason });
    }
  };

  before(async () => {
    product = await startTestProduct({ clock: () => now, demo: false });
    analyst = await signInAs(product, 'analyst');
    const ours = await createTestSupplier(product, 'Hub Makers');
    const theirs = await createTestSupplier(product, 'Radio Parts');
    supplier = await signInAs(product, 'supplier', { supplierId: ours });

    const doorbell = await open(
      'doorbell',
      'Doorbell crashes on long SIP headers',
      '2026-01-10T09:00:00.000Z',
    );
    await moveThrough(doorbell, ['triage', 'confirmed', 'fixing', 'fix-available', 'disclosed', 'closed']);
    const backdoor = await open('backdoor', 'Telnet backdoor in hub firmware', '2026-02-02T09:00:00.000Z');
    await call(analyst, 'PATCH', `/api/v1/cases/${backdoor}`, {
      cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      supplierId: ours,
      assigneeUserId: analyst.user.id,
    });
    const camera = await open('camera', 'Camera RTSP stream needs no password', '2026-02-20T09:00:00.000Z');
    await moveThrough(camera, ['triage', 'not-a-vulnerability']);
    const zigbee = await open('zigbee', 'Zigbee pairing accepts replayed frames', '2026-02-25T09:00:00.000Z');
    await moveThrough(zigbee, ['triage']);
    await call(analyst, 'PATCH', `/api/v1/cases/${zigbee}`, {
      cvssVector: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
      supplierId: theirs,
    });
    const router = await open(
      'router',
      'Router admin page reflects the ssid unescaped',
      '2026-03-01T09:00:00.000Z',
      'Found while testing with a quokka-shaped payload in the SSID field.',
    );
    await call(analyst, 'PATCH', `/api/v1/cases/${router}`, { supplierId: ours });
    await setNow('2026-03-02T09:00:00.000Z');
    supplier = await signIn(product, supplier.user);
  });
  after(() => product.stop());

  const list = async (as: TestSession, query = ''): Promise<Page> => {
    const response = await as.inject({ url: `/api/v1/cases${query ? `?${query}` : ''}` });
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  };
  const keysOf = (page: Page) =>
    page.items.map((item) => Object.entries(cases).find(([, c]) => c.id === item.id)?.[0] ?? item.id);

  it('lists every case by next deadline by default, the ones without a deadline last', async () => {
    const page = await list(analyst);
    assert.equal(page.total, 5);
    assert.deepEqual(keysOf(page).slice(0, 3), ['backdoor', 'router', 'zigbee']);
    assert.deepEqual(
      page.items.map((i) => i.nextDueAt),
      ['2026-02-04T23:59:59.999Z', '2026-03-03T23:59:59.999Z', '2026-03-04T23:59:59.999Z', null, null],
    );
    const resting = page.items.slice(3).map((i) => i.id);
    assert.deepEqual(resting, [...resting].sort(), 'ties (no deadline) by id');
    assert.deepEqual(
      page.items.map((i) => i.overdue),
      [true, false, false, false, false],
    );
    assert.deepEqual(await list(analyst, 'sort=next-deadline'), page);
  });

  it('filters open cases (not at rest) and resting ones', async () => {
    assert.deepEqual(keysOf(await list(analyst, 'open=true')), ['backdoor', 'router', 'zigbee']);
    assert.deepEqual(new Set(keysOf(await list(analyst, 'open=false'))), new Set(['doorbell', 'camera']));
    assert.deepEqual(keysOf(await list(analyst, 'open=true&state=triage')), ['zigbee']);
  });

  it('filters overdue cases, alone and with severity, analyst and supplier', async () => {
    assert.deepEqual(keysOf(await list(analyst, 'overdue=true')), ['backdoor']);
    assert.deepEqual(keysOf(await list(analyst, 'overdue=true&severity=critical')), ['backdoor']);
    assert.deepEqual(keysOf(await list(analyst, 'overdue=true&severity=high')), []);
    assert.deepEqual(keysOf(await list(analyst, 'overdue=false&open=true')), ['router', 'zigbee']);
    assert.deepEqual(keysOf(await list(analyst, `assignee=${analyst.user.id}`)), ['backdoor']);
    assert.deepEqual(keysOf(await list(analyst, 'severity=medium')), ['zigbee']);
    // Time passes: the triage deadline of the zigbee case runs out with no write to the case.
    await setNow('2026-03-05T00:00:00.000Z');
    assert.deepEqual(keysOf(await list(analyst, 'overdue=true')), ['backdoor', 'router', 'zigbee']);
    await setNow('2026-03-02T09:00:00.000Z');
  });

  it('sorts by severity, last change and creation, each a total order', async () => {
    assert.deepEqual(keysOf(await list(analyst, 'sort=severity')).slice(0, 2), ['backdoor', 'zigbee']);
    assert.deepEqual(keysOf(await list(analyst, 'sort=created')), [
      'router',
      'zigbee',
      'camera',
      'backdoor',
      'doorbell',
    ]);
    await call(analyst, 'PATCH', `/api/v1/cases/${cases.doorbell?.id}`, { summary: 'Fixed in 2.1.4.' });
    assert.deepEqual(keysOf(await list(analyst, 'sort=updated'))[0], 'doorbell');
    const all = keysOf(await list(analyst, 'sort=severity'));
    const pages = [
      ...keysOf(await list(analyst, 'sort=severity&limit=2')),
      ...keysOf(await list(analyst, 'sort=severity&limit=2&offset=2')),
      ...keysOf(await list(analyst, 'sort=severity&limit=2&offset=4')),
    ];
    assert.deepEqual(pages, all, 'pages neither overlap nor skip');
    const limited = await list(analyst, 'limit=2');
    assert.equal(limited.items.length, 2);
    assert.equal(limited.total, 5);
  });

  it('searches words with stemming, phrases, OR and exclusions, and finds a case by its number', async () => {
    assert.deepEqual(keysOf(await list(analyst, 'q=telnet')), ['backdoor']);
    assert.deepEqual(keysOf(await list(analyst, 'q=backdoors')), ['backdoor'], 'English stems');
    assert.deepEqual(keysOf(await list(analyst, `q=${encodeURIComponent('zigbee OR router')}`)), [
      'router',
      'zigbee',
    ]);
    assert.deepEqual(keysOf(await list(analyst, `q=${encodeURIComponent('"pairing accepts"')}`)), ['zigbee']);
    assert.deepEqual(keysOf(await list(analyst, `q=${encodeURIComponent('"accepts pairing"')}`)), []);
    assert.deepEqual(keysOf(await list(analyst, `q=${encodeURIComponent('hub -telnet')}`)), []);
    assert.deepEqual(keysOf(await list(analyst, 'q=camera&open=true')), []);
    assert.deepEqual(keysOf(await list(analyst, 'q=camera')), ['camera']);
    const number = cases.zigbee?.number as string;
    assert.deepEqual(keysOf(await list(analyst, `q=${number}`)), ['zigbee']);
    assert.deepEqual(keysOf(await list(analyst, `q=${number.toLowerCase()}`)), ['zigbee']);
    const page = await list(analyst, 'q=nothing-matches-this');
    assert.deepEqual(page, { items: [], total: 0, totalCapped: false, limit: 100, offset: 0 });
  });

  it("lets staff find a case by its reports' text, but not a supplier", async () => {
    assert.deepEqual(keysOf(await list(analyst, 'q=quokka')), ['router']);
    const words = encodeURIComponent('quokka OR telnet OR zigbee');
    const all = await list(analyst, `q=${words}`);
    assert.deepEqual(keysOf(all), ['backdoor', 'router', 'zigbee']);
    assert.equal(all.total, 3);
    const pages = [];
    for (const offset of [0, 1, 2, 3])
      pages.push(...keysOf(await list(analyst, `q=${words}&limit=1&offset=${offset}`)));
    assert.deepEqual(pages, keysOf(all), 'paging through matches of the case and of its reports');
    assert.equal((await list(analyst, `q=${words}&limit=1&offset=2`)).total, 3);
    assert.deepEqual(
      keysOf(await list(supplier, 'q=quokka')),
      [],
      "the report is internal, even for the supplier's own case",
    );
  });

  it("keeps a supplier's search within its own cases", async () => {
    assert.deepEqual(keysOf(await list(supplier)), ['backdoor', 'router']);
    assert.deepEqual(keysOf(await list(supplier, 'q=telnet')), ['backdoor']);
    assert.deepEqual(keysOf(await list(supplier, 'q=zigbee')), [], "another supplier's case");
    assert.deepEqual(keysOf(await list(supplier, `q=${cases.zigbee?.number}`)), [], 'not even by number');
    assert.equal((await list(supplier, 'q=zigbee')).total, 0);
    assert.deepEqual(keysOf(await list(supplier, 'overdue=true')), ['backdoor']);
  });

  it('refuses bad parameters with 400 and names them', async () => {
    for (const query of [
      'sort=priority',
      'overdue=yes',
      'open=1',
      'q=',
      `q=${'x'.repeat(201)}`,
      'state=open',
    ]) {
      const response = await analyst.inject({ url: `/api/v1/cases?${query}` });
      assert.equal(response.statusCode, 400, `${query}: ${response.body}`);
      assert.equal(response.json().error, 'VALIDATION_FAILED', query);
    }
  });

  it('counts matches up to 200 beyond the page, and says when it stopped counting', async () => {
    await sql`
      insert into cases (number, title, created_at, updated_at)
      select 'CASE-1999-' || lpad(i::text, 5, '0'), 'Imported legacy case ' || i, ${now}, ${now}
      from generate_series(1, 1100) as i`.execute(product.deps.db);
    const capped = await list(analyst, 'q=legacy&limit=10');
    assert.equal(capped.items.length, 10);
    assert.deepEqual([capped.total, capped.totalCapped], [10 + countBeyondPage, true]);
    const deep = await list(analyst, 'q=legacy&limit=10&offset=1090');
    assert.equal(deep.items.length, 10);
    assert.deepEqual(
      [deep.total, deep.totalCapped],
      [1100, false],
      'exact again when the cap reaches past the end',
    );
    const everything = await list(analyst, 'limit=5');
    assert.deepEqual([everything.total, everything.totalCapped], [5 + countBeyondPage, true]);
    const few = await list(analyst, 'q=telnet');
    assert.deepEqual([few.total, few.totalCapped], [1, false]);
  });
});
