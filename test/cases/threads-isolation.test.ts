// Thread isolation, proven exhaustively: a uniquely marked message (body, file name, file bytes) in
// each thread, then every principal reads every endpoint that could show it, and each marker must
// appear exactly where the rules allow it and nowhere else.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestSupplier, type Injector, signInAs } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import type { TestProductHandle } from './fixtures.ts';
import { caseWithReport, post, threadUrl } from './threads-fixtures.ts';

type Who = 'anonymous' | 'admin' | 'analyst' | 'auditor' | 'caseSupplier' | 'otherSupplier' | 'idleSupplier';
const everyone: Who[] = [
  'anonymous',
  'admin',
  'analyst',
  'auditor',
  'caseSupplier',
  'otherSupplier',
  'idleSupplier',
];
const staff = new Set<Who>(['admin', 'analyst', 'auditor']);

const tag = crypto.randomBytes(4).toString('hex');
const marker = {
  supplierThreadStaffBody: `SUPSTAFF-${tag}`,
  supplierThreadSupplierBody: `SUPREPLY-${tag}`,
  supplierFileName: `supfile-${tag}.bin`,
  supplierFileBytes: `SUPBYTES-${tag}`,
  supplierReplyFileName: `supreplyfile-${tag}.pdf`,
  supplierReplyFileBytes: `SUPREPLYBYTES-${tag}`,
  internalBody: `INTNOTE-${tag}`,
  internalFileName: `intfile-${tag}.txt`,
  internalFileBytes: `INTBYTES-${tag}`,
  otherCaseBody: `OTHERCASE-${tag}`,
  otherCaseFileName: `otherfile-${tag}.bin`,
  analystName: `Analyst Zed ${tag}`,
  internalEventKind: 'INTERNAL_NOTE_ADDED',
  supplierEventKind: 'SUPPLIER_MESSAGE_POSTED',
} as const;
type Marker = keyof typeof marker;

/** What each endpoint answers a principal: the status, and which markers its body must hold (all others must be absent). */
type Expectation = { status: number; markers: Marker[] };

describe(`case threads: isolation (${engine})`, () => {
  let product: TestProductHandle;
  const as = {} as Record<Who, Injector>;
  let ours: Awaited<ReturnType<typeof caseWithReport>>;
  let theirs: Awaited<ReturnType<typeof caseWithReport>>;
  const fileIds = { supplier: '', supplierReply: '', internal: '', otherCase: '' };

  before(async () => {
    product = await startTestProduct();
    const supplierId = await createTestSupplier(product, 'Radio Modules Inc');
    const otherSupplierId = await createTestSupplier(product, 'Other Silicon Ltd');
    const idleSupplierId = await createTestSupplier(product, 'Idle Supplier GmbH');
    const analyst = await signInAs(product, 'analyst', { name: marker.analystName });
    const caseSupplier = await signInAs(product, 'supplier', { supplierId });
    const otherSupplier = await signInAs(product, 'supplier', { supplierId: otherSupplierId });
    Object.assign(as, {
      anonymous: (options) => product.app.inject(options),
      admin: (await signInAs(product, 'admin')).inject,
      analyst: analyst.inject,
      auditor: (await signInAs(product, 'auditor')).inject,
      caseSupplier: caseSupplier.inject,
      otherSupplier: otherSupplier.inject,
      idleSupplier: (await signInAs(product, 'supplier', { supplierId: idleSupplierId })).inject,
    } satisfies Record<Who, Injector>);

    ours = await caseWithReport(product, analyst.inject, 'Bootloader accepts unsigned images', supplierId);
    theirs = await caseWithReport(product, analyst.inject, 'Other supplier radio bug', otherSupplierId);

    const toSupplier = await post(analyst.inject, ours.caseId, 'supplier', marker.supplierThreadStaffBody, [
      { name: marker.supplierFileName, content: marker.supplierFileBytes },
    ]);
    const fromSupplier = await post(
      caseSupplier.inject,
      ours.caseId,
      'supplier',
      marker.supplierThreadSupplierBody,
      [{ name: marker.supplierReplyFileName, content: marker.supplierReplyFileBytes }],
      'fix-material',
    );
    const note = await post(analyst.inject, ours.caseId, 'internal', marker.internalBody, [
      { name: marker.internalFileName, content: marker.internalFileBytes },
    ]);
    const other = await post(otherSupplier.inject, theirs.caseId, 'supplier', marker.otherCaseBody, [
      { name: marker.otherCaseFileName, content: 'other bytes' },
    ]);
    fileIds.supplier = toSupplier.files[0]?.id ?? '';
    fileIds.supplierReply = fromSupplier.files[0]?.id ?? '';
    fileIds.internal = note.files[0]?.id ?? '';
    fileIds.otherCase = other.files[0]?.id ?? '';
    assert.ok(Object.values(fileIds).every((id) => id !== ''));
  });
  after(() => product.stop());

  /** 401 for anonymous, 404 for a signed-in principal the rule leaves out, else 200 with the markers. */
  const only =
    (allowed: (who: Who) => boolean, markers: Marker[]) =>
    (who: Who): Expectation =>
      who === 'anonymous'
        ? { status: 401, markers: [] }
        : allowed(who)
          ? { status: 200, markers }
          : { status: 404, markers: [] };
  const staffOnly = (who: Who) => staff.has(who);
  const staffOr = (supplier: Who) => (who: Who) => staff.has(who) || who === supplier;
  const nobody = () => false;

  const endpoints = (): { name: string; url: string; expect: (who: Who) => Expectation }[] => [
    {
      name: 'supplier thread',
      url: threadUrl(ours.caseId, 'supplier'),
      expect: (who) =>
        only(staffOr('caseSupplier'), [
          'supplierThreadStaffBody',
          'supplierThreadSupplierBody',
          'supplierFileName',
          'supplierReplyFileName',
          // A supplier reads staff messages as from the security team, not from a named analyst.
          ...(staff.has(who) ? (['analystName'] as const) : []),
        ])(who),
    },
    {
      name: 'internal notes',
      url: threadUrl(ours.caseId, 'internal'),
      expect: only(staffOnly, ['internalBody', 'internalFileName', 'analystName']),
    },
    {
      name: 'supplier thread file',
      url: `${threadUrl(ours.caseId, 'supplier')}/files/${fileIds.supplier}`,
      expect: only(staffOr('caseSupplier'), ['supplierFileBytes']),
    },
    {
      name: 'fix material file',
      url: `${threadUrl(ours.caseId, 'supplier')}/files/${fileIds.supplierReply}`,
      expect: only(staffOr('caseSupplier'), ['supplierReplyFileBytes']),
    },
    {
      name: 'internal file',
      url: `${threadUrl(ours.caseId, 'internal')}/files/${fileIds.internal}`,
      expect: only(staffOnly, ['internalFileBytes']),
    },
    {
      name: 'internal file asked for through the supplier thread',
      url: `${threadUrl(ours.caseId, 'supplier')}/files/${fileIds.internal}`,
      expect: only(nobody, []),
    },
    {
      name: 'supplier file asked for through the internal notes',
      url: `${threadUrl(ours.caseId, 'internal')}/files/${fileIds.supplier}`,
      expect: only(nobody, []),
    },
    {
      name: "another case's file asked for through this case",
      url: `${threadUrl(ours.caseId, 'supplier')}/files/${fileIds.otherCase}`,
      expect: only(nobody, []),
    },
    {
      name: 'case view',
      url: `/api/v1/cases/${ours.caseId}`,
      // Staff see the events, which name files but never carry a message.
      expect: (who) =>
        only(
          staffOr('caseSupplier'),
          staff.has(who)
            ? [
                'supplierFileName',
                'supplierReplyFileName',
                'internalFileName',
                'internalEventKind',
                'supplierEventKind',
              ]
            : [],
        )(who),
    },
    { name: 'case list', url: '/api/v1/cases', expect: only(() => true, []) },
    {
      name: "the other case's supplier thread",
      url: threadUrl(theirs.caseId, 'supplier'),
      expect: only(staffOr('otherSupplier'), ['otherCaseBody', 'otherCaseFileName']),
    },
    {
      name: "the other case's internal notes",
      url: threadUrl(theirs.caseId, 'internal'),
      expect: only(staffOnly, []),
    },
    {
      name: 'the other case',
      url: `/api/v1/cases/${theirs.caseId}`,
      expect: (who) =>
        only(staffOr('otherSupplier'), staff.has(who) ? ['otherCaseFileName', 'supplierEventKind'] : [])(who),
    },
    {
      name: "the reporter's status page",
      url: `/status/${ours.statusToken}`,
      expect: () => ({ status: 200, markers: [] }),
    },
    {
      name: "the reporter's status API",
      url: `/api/v1/reports/status/${ours.statusToken}`,
      expect: () => ({ status: 200, markers: [] }),
    },
  ];

  it('shows each marker exactly where the rules allow, to every principal, on every endpoint', async () => {
    const problems: string[] = [];
    for (const endpoint of endpoints()) {
      for (const who of everyone) {
        const expected = endpoint.expect(who);
        const response = await as[who]({ method: 'GET', url: endpoint.url });
        const where = `${who} GET ${endpoint.name}`;
        if (response.statusCode !== expected.status) {
          problems.push(`${where}: status ${response.statusCode}, expected ${expected.status}`);
        }
        for (const [key, text] of Object.entries(marker) as [Marker, string][]) {
          const shown = response.body.includes(text);
          const allowed = expected.markers.includes(key);
          if (shown !== allowed) problems.push(`${where}: ${key} ${shown ? 'leaked' : 'missing'}`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it('shows a supplier the case events of state moves only, and its acknowledgement as a date', async () => {
    const view = (await as.caseSupplier({ url: `/api/v1/cases/${ours.caseId}` })).json();
    for (const event of view.events) {
      assert.ok(['CASE_OPENED', 'STATE_CHANGED', 'CASE_REOPENED'].includes(event.kind), event.kind);
    }
    assert.equal(view.supplierAcknowledgedAt, null);
  });

  it('keeps a supplier assigned later out of what was said to the one before', async () => {
    const laterSupplierId = await createTestSupplier(product, 'Later Supplier AB');
    const later = await signInAs(product, 'supplier', { supplierId: laterSupplierId });
    const reassigned = await as.analyst({
      method: 'PATCH',
      url: `/api/v1/cases/${ours.caseId}`,
      payload: { supplierId: laterSupplierId },
    });
    assert.equal(reassigned.statusCode, 200, reassigned.body);
    const thread = await later.inject({ url: threadUrl(ours.caseId, 'supplier') });
    assert.equal(thread.statusCode, 200);
    assert.deepEqual(thread.json().items, []);
    const file = await later.inject({
      url: `${threadUrl(ours.caseId, 'supplier')}/files/${fileIds.supplier}`,
    });
    assert.equal(file.statusCode, 404);
    assert.equal((await as.caseSupplier({ url: threadUrl(ours.caseId, 'supplier') })).statusCode, 404);
    const staffView = (await as.auditor({ url: threadUrl(ours.caseId, 'supplier') })).json();
    assert.equal(staffView.items.length, 2, 'staff still read the whole thread');
  });
});
