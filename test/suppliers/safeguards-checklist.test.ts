import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  safeguardCatalogue,
  safeguardStatuses,
  summarizeSafeguards,
} from '../../src/suppliers/safeguards.ts';
import { signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { countRows } from '../support/rows.ts';
import { addSupplier, auditEntries } from './fixtures.ts';

type Item = { key: string; status: string; inPlace: boolean; termsDays: number | null; date: string | null };

describe('the safeguards catalogue', () => {
  it('has the six contract safeguards, each explained and tied to framework requirements', () => {
    assert.deepEqual(
      safeguardCatalogue.map((item) => item.key),
      [
        'vulnerability-reporting',
        'no-undeclared-data',
        'maker-holds-signing-keys',
        'sbom-with-firmware',
        'security-fixes',
        'right-to-audit',
      ],
    );
    for (const item of safeguardCatalogue) {
      assert.ok(item.explanation.length > 100, item.key);
      assert.ok(
        item.frameworks.some((ref) => ref.framework === 'eu-cra' && ref.items.length > 0),
        item.key,
      );
    }
  });

  it('counts agreed and verified as in place and leaves not-applicable out of the count', () => {
    const summary = summarizeSafeguards(
      new Map([
        ['vulnerability-reporting', 'verified'],
        ['no-undeclared-data', 'agreed'],
        ['maker-holds-signing-keys', 'requested'],
        ['right-to-audit', 'not-applicable'],
      ] as const),
    );
    assert.equal(summary.inPlace, 2);
    assert.equal(summary.applicable, 5);
    assert.deepEqual(
      summary.missing.map((m) => [m.key, m.status]),
      [
        ['maker-holds-signing-keys', 'requested'],
        ['sbom-with-firmware', 'missing'],
        ['security-fixes', 'missing'],
      ],
    );
    assert.match(summary.headline, /^2 of 5 in place \(1 not applicable\); missing: Firmware signing keys/);
    assert.deepEqual(
      [...safeguardStatuses],
      ['missing', 'requested', 'agreed', 'verified', 'not-applicable'],
    );
  });
});

describe(`supplier safeguards checklist (${engine})`, () => {
  let product: Awaited<ReturnType<typeof startTestProduct>>;
  let analyst: TestSession;
  let auditor: TestSession;
  const today = new Date().toISOString().slice(0, 10);
  before(async () => {
    product = await startTestProduct();
    analyst = await signInAs(product, 'analyst', { name: 'Ana Lyst' });
    auditor = await signInAs(product, 'auditor');
  });
  after(() => product.stop());

  const put = (session: TestSession, supplierId: string, key: string, payload: object) =>
    session.inject({ method: 'PUT', url: `/api/v1/suppliers/${supplierId}/safeguards/${key}`, payload });
  const itemOf = (body: { items: Item[] }, key: string) =>
    body.items.find((item) => item.key === key) as Item;

  it('starts with every safeguard missing, visible at a glance', async () => {
    const supplier = await addSupplier(product);
    const response = await auditor.inject({ url: `/api/v1/suppliers/${supplier.id}/safeguards` });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.equal(body.items.length, 6);
    assert.ok(body.items.every((item: Item) => item.status === 'missing' && !item.inPlace));
    assert.equal(body.summary.inPlace, 0);
    assert.equal(body.summary.missing.length, 6);
    assert.match(body.summary.headline, /^0 of 6 in place; missing: /);
  });

  it('records an agreed safeguard with its terms, keeps the change in the history and the audit log', async () => {
    const supplier = await addSupplier(product);
    const response = await put(analyst, supplier.id, 'vulnerability-reporting', {
      status: 'agreed',
      termsDays: 3,
      date: '2025-03-02',
      evidenceUrl: 'https://docs.example/contracts/acme-2026.pdf#clause-14',
      note: 'Clause 14.2 of the 2026 manufacturing agreement',
    });
    assert.equal(response.statusCode, 200, response.body);
    const item = itemOf(response.json(), 'vulnerability-reporting');
    assert.equal(item.status, 'agreed');
    assert.equal(item.inPlace, true);
    assert.equal(item.termsDays, 3);
    assert.equal(item.date, '2025-03-02');
    assert.equal(response.json().summary.inPlace, 1);
    assert.equal(response.json().summary.missing.length, 5);

    const verified = await put(analyst, supplier.id, 'vulnerability-reporting', { status: 'verified' });
    assert.equal(verified.statusCode, 200, verified.body);

    const history = await auditor.inject({ url: `/api/v1/suppliers/${supplier.id}/safeguards/history` });
    assert.equal(history.statusCode, 200, history.body);
    const events = history.json().events;
    assert.equal(events.length, 2);
    assert.match(events[0].by, /^Ana Lyst </);
    assert.deepEqual(
      events[0].changes.find((c: { field: string }) => c.field === 'status'),
      { field: 'status', from: 'missing', to: 'agreed' },
    );
    assert.deepEqual(events[1].changes, [{ field: 'status', from: 'agreed', to: 'verified' }]);
    const audited = await auditEntries(product, 'SUPPLIER_SAFEGUARD_CHANGED', supplier.id);
    assert.equal(audited.length, 2);
    assert.equal((audited[1]?.detail as { item?: string } | undefined)?.item, 'vulnerability-reporting');
  });

  it('refuses a state an item cannot have, with a reason per field, and records nothing', async () => {
    const supplier = await addSupplier(product);
    const eventsBefore = await countRows(product, 'supplier_safeguard_events');
    const cases: Array<[string, object, Record<string, RegExp>]> = [
      ['security-fixes', { status: 'agreed' }, { termsDays: /days to deliver a fix/, date: /required/ }],
      ['right-to-audit', { status: 'agreed', date: today, termsDays: 10 }, { termsDays: /no terms in days/ }],
      ['right-to-audit', { status: 'verified', date: today }, { evidenceUrl: /evidence/ }],
      ['sbom-with-firmware', { status: 'not-applicable' }, { note: /why/ }],
      ['sbom-with-firmware', { status: 'requested', date: '2999-01-01' }, { date: /future/ }],
      ['sbom-with-firmware', { status: 'requested', date: '2026-02-30' }, { date: /YYYY-MM-DD/ }],
      [
        'sbom-with-firmware',
        { status: 'requested', evidenceUrl: 'javascript:alert(1)' },
        { evidenceUrl: /http/ },
      ],
      ['sbom-with-firmware', { status: 'done' }, { status: /./ }],
      ['sbom-with-firmware', { status: 'agreed', date: today, extra: 1 }, { extra: /not a known field/ }],
    ];
    for (const [key, payload, expected] of cases) {
      const response = await put(analyst, supplier.id, key, payload);
      assert.equal(response.statusCode, 400, `${key} ${JSON.stringify(payload)}: ${response.body}`);
      for (const [field, reason] of Object.entries(expected)) {
        assert.match(response.json().fields?.[field] ?? '', reason, `${key}: ${response.body}`);
      }
    }
    assert.equal(await countRows(product, 'supplier_safeguard_events'), eventsBefore);
    const checklist = await analyst.inject({ url: `/api/v1/suppliers/${supplier.id}/safeguards` });
    assert.ok(checklist.json().items.every((item: Item) => item.status === 'missing'));
  });

  it('takes a not-applicable item out of the count when a reason is given', async () => {
    const supplier = await addSupplier(product);
    const response = await put(analyst, supplier.id, 'sbom-with-firmware', {
      status: 'not-applicable',
      note: 'Supplies only plastic housings; no software.',
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().summary.applicable, 5);
    assert.match(response.json().summary.headline, /^0 of 5 in place \(1 not applicable\)/);
  });

  it('writes no history when a PUT changes nothing, and keeps fields that are left out', async () => {
    const supplier = await addSupplier(product);
    const first = { status: 'requested', date: today, note: 'Asked in the quarterly review' };
    assert.equal((await put(analyst, supplier.id, 'right-to-audit', first)).statusCode, 200);
    const same = await put(analyst, supplier.id, 'right-to-audit', { status: 'requested' });
    assert.equal(same.statusCode, 200);
    assert.equal(itemOf(same.json(), 'right-to-audit').date, today, 'the date is kept');
    const history = await analyst.inject({
      url: `/api/v1/suppliers/${supplier.id}/safeguards/history?item=right-to-audit`,
    });
    assert.equal(history.json().events.length, 1);
  });

  it('answers 404 for an item that is not in the checklist', async () => {
    const supplier = await addSupplier(product);
    const response = await put(analyst, supplier.id, 'free-lunch', { status: 'agreed' });
    assert.equal(response.statusCode, 404);
    assert.match(response.json().message, /vulnerability-reporting/);
  });

  it('keeps the history append-only in the database itself', async () => {
    const supplier = await addSupplier(product);
    await put(analyst, supplier.id, 'right-to-audit', { status: 'requested', date: today });
    await assert.rejects(
      product.deps.db.updateTable('supplier_safeguard_events').set({ actor: 'someone else' }).execute(),
      /append-only/,
    );
    await assert.rejects(product.deps.db.deleteFrom('supplier_safeguard_events').execute(), /append-only/);
  });

  it('lets a supplier user read its own checklist but change no status; others are not found', async () => {
    const own = await addSupplier(product);
    const other = await addSupplier(product);
    const user = await signInAs(product, 'supplier', { supplierId: own.id });
    const read = await user.inject({ url: `/api/v1/suppliers/${own.id}/safeguards` });
    assert.equal(read.statusCode, 200);
    const history = await user.inject({ url: `/api/v1/suppliers/${own.id}/safeguards/history` });
    assert.equal(history.statusCode, 200);
    const change = await put(user, own.id, 'vulnerability-reporting', {
      status: 'verified',
      termsDays: 1,
      date: today,
      evidenceUrl: 'https://supplier.example/trust-me',
    });
    assert.equal(change.statusCode, 403, change.body);
    assert.equal((await user.inject({ url: `/api/v1/suppliers/${other.id}/safeguards` })).statusCode, 404);
    assert.equal(
      (await user.inject({ url: `/api/v1/suppliers/${other.id}/safeguards/history` })).statusCode,
      404,
    );
    const auditorChange = await put(auditor, own.id, 'right-to-audit', { status: 'requested' });
    assert.equal(auditorChange.statusCode, 403);
    const after = await analyst.inject({ url: `/api/v1/suppliers/${own.id}/safeguards` });
    assert.equal(after.json().summary.inPlace, 0);
  });

  it('shows the summary in the supplier list', async () => {
    const supplier = await addSupplier(product);
    await put(analyst, supplier.id, 'maker-holds-signing-keys', { status: 'agreed', date: today });
    const list = await analyst.inject({ url: '/api/v1/suppliers' });
    const listed = list.json().suppliers.find((s: { id: string }) => s.id === supplier.id);
    assert.equal(listed.safeguards.inPlace, 1);
    assert.ok(!listed.safeguards.missing.some((m: { key: string }) => m.key === 'maker-holds-signing-keys'));
  });
});
