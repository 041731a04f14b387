// Posting in a case's supplier thread and internal notes: who may write, what a post needs, file
// downloads, the supplier's acknowledgement, the mails queued and the events recorded.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { MAIL_SEND } from '../../src/mail/jobs.ts';
import type { OutgoingMail } from '../../src/mail/mailer.ts';
import {
  createTestSupplier,
  createTestUser,
  type Injector,
  signIn,
  signInAs,
  type TestSession,
} from '../support/auth.ts';
import { engine, startTestProduct, storedBlobs } from '../support/product.ts';
import { countRows } from '../support/rows.ts';
import { caseEvents, type TestProductHandle } from './fixtures.ts';
import { caseWithReport, post, postJson, postMultipart, threadUrl } from './threads-fixtures.ts';

describe(`case threads: posting, files, acknowledgement, mail (${engine})`, () => {
  let product: TestProductHandle;
  let admin: TestSession;
  let analyst: TestSession;
  let auditor: TestSession;
  let supplier: TestSession;
  let colleague: TestSession;
  let outsider: TestSession;
  let supplierId: string;
  let disabledSupplierUserEmail: string;
  let ours: Awaited<ReturnType<typeof caseWithReport>>;

  before(async () => {
    product = await startTestProduct({ env: { MAX_ATTACHMENTS: '2', MAX_ATTACHMENT_BYTES: '4096' } });
    admin = await signInAs(product, 'admin');
    analyst = await signInAs(product, 'analyst');
    auditor = await signInAs(product, 'auditor');
    supplierId = await createTestSupplier(product, 'Radio Modules Inc');
    supplier = await signInAs(product, 'supplier', { supplierId, name: 'Sam Supplier' });
    colleague = await signInAs(product, 'supplier', { supplierId, name: 'Cora Colleague' });
    const disabled = await createTestUser(product, 'supplier', { supplierId });
    disabledSupplierUserEmail = disabled.email;
    await product.deps.db
      .updateTable('users')
      .set({ disabled_at: new Date() })
      .where('id', '=', disabled.id)
      .execute();
    outsider = await signInAs(product, 'supplier', { supplierId: await createTestSupplier(product) });
    ours = await caseWithReport(product, analyst.inject, 'Debug shell left enabled', supplierId);
  });
  after(() => product.stop());

  /** MAIL_SEND jobs queued since `since` (a job id), in order. */
  async function mailsAfter(since: string): Promise<OutgoingMail[]> {
    const rows = await product.deps.db
      .selectFrom('jobs')
      .select(['id', 'payload'])
      .where('type', '=', MAIL_SEND)
      .orderBy('id')
      .execute();
    return rows.filter((row) => BigInt(row.id) > BigInt(since)).map((row) => row.payload as OutgoingMail);
  }
  async function lastJobId(): Promise<string> {
    const row = await product.deps.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    return String(row?.id ?? 0);
  }

  it('refuses writers the thread is not for, and writes nothing', async () => {
    const before = await countRows(product, 'case_messages');
    const eventsBefore = (await caseEvents(product, ours.caseId)).length;
    const attempts: [string, Injector, string, number][] = [
      ['auditor', auditor.inject, 'supplier', 403],
      ['auditor', auditor.inject, 'internal', 403],
      ['supplier', supplier.inject, 'internal', 404],
      ['supplier of another supplier', outsider.inject, 'supplier', 404],
      ['anonymous', (options) => product.app.inject(options), 'supplier', 401],
    ];
    for (const [who, as, thread, status] of attempts) {
      const response = await postJson(as, ours.caseId, thread, 'let me in');
      assert.equal(response.statusCode, status, `${who} → ${thread}: ${response.body}`);
    }
    const withFile = await postMultipart(outsider.inject, ours.caseId, 'supplier', [
      { name: 'body', value: 'x' },
      { name: 'attachments', filename: 'x.bin', content: 'refused bytes' },
    ]);
    assert.equal(withFile.statusCode, 404);
    const noCsrf = await product.app.inject({
      method: 'POST',
      url: threadUrl(ours.caseId, 'internal'),
      headers: { cookie: `openpsirt_session=${analyst.cookie}` },
      payload: { body: 'no csrf' },
    });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(await countRows(product, 'case_messages'), before);
    assert.equal((await caseEvents(product, ours.caseId)).length, eventsBefore);
  });

  it('refuses empty posts, fix material outside the supplier thread, unknown purposes and too many files', async () => {
    const blobsBefore = storedBlobs(product.dataDir).length;
    const before = await countRows(product, 'case_messages');
    const refused: [string, () => Promise<{ statusCode: number; body: string }>, number][] = [
      ['blank JSON body', () => postJson(analyst.inject, ours.caseId, 'internal', '  \n '), 400],
      [
        'empty multipart',
        () => postMultipart(analyst.inject, ours.caseId, 'supplier', [{ name: 'body', value: '' }]),
        400,
      ],
      [
        'fix material in internal notes',
        () =>
          postMultipart(analyst.inject, ours.caseId, 'internal', [
            { name: 'purpose', value: 'fix-material' },
            { name: 'attachments', filename: 'patch.diff', content: 'diff' },
          ]),
        400,
      ],
      [
        'fix material without a file',
        () =>
          postMultipart(supplier.inject, ours.caseId, 'supplier', [
            { name: 'body', value: 'the fix' },
            { name: 'purpose', value: 'fix-material' },
          ]),
        400,
      ],
      [
        'unknown purpose',
        () =>
          postMultipart(supplier.inject, ours.caseId, 'supplier', [
            { name: 'body', value: 'x' },
            { name: 'purpose', value: 'exploit' },
          ]),
        400,
      ],
      [
        'unknown field',
        () => postMultipart(supplier.inject, ours.caseId, 'supplier', [{ name: 'subject', value: 'x' }]),
        400,
      ],
      [
        'three files where two are allowed',
        () =>
          postMultipart(
            supplier.inject,
            ours.caseId,
            'supplier',
            ['a', 'b', 'c'].map((n) => ({ name: 'attachments', filename: `${n}.txt`, content: n })),
          ),
        413,
      ],
      [
        'a file over the size limit',
        () =>
          postMultipart(supplier.inject, ours.caseId, 'supplier', [
            { name: 'attachments', filename: 'big.bin', content: Buffer.alloc(5000) },
          ]),
        413,
      ],
      [
        'plain text',
        () =>
          analyst.inject({
            method: 'POST',
            url: threadUrl(ours.caseId, 'internal'),
            headers: { 'content-type': 'text/plain' },
            payload: 'hello',
          }),
        415,
      ],
    ];
    for (const [what, send, status] of refused) {
      const response = await send();
      assert.equal(response.statusCode, status, `${what}: ${response.body}`);
    }
    assert.equal(await countRows(product, 'case_messages'), before);
    assert.equal(storedBlobs(product.dataDir).length, blobsBefore, 'refused uploads leave no file');
  });

  it('refuses the supplier thread of a case that has no supplier', async () => {
    const lonely = await caseWithReport(product, analyst.inject, 'No supplier yet', null);
    const response = await postJson(analyst.inject, lonely.caseId, 'supplier', 'anyone there?');
    assert.equal(response.statusCode, 409, response.body);
    assert.match(response.json().message, /no supplier/);
    assert.deepEqual((await analyst.inject({ url: threadUrl(lonely.caseId, 'supplier') })).json(), {
      items: [],
    });
    assert.equal((await supplier.inject({ url: threadUrl(lonely.caseId, 'supplier') })).statusCode, 404);
  });

  it('serves a file as bytes to download, with a safe name and no sniffing', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const message = await post(analyst.inject, ours.caseId, 'internal', 'Memory dump attached', [
      { name: '../../evil"name<script>.html', content: bytes },
    ]);
    const [file] = message.files;
    assert.ok(file);
    assert.equal(file.size, 256);
    assert.equal(file.sha256, crypto.createHash('sha256').update(bytes).digest('hex'));
    assert.equal(file.purpose, 'attachment');
    assert.doesNotMatch(file.fileName, /[/"<>]/);
    const response = await auditor.inject({ url: `${threadUrl(ours.caseId, 'internal')}/files/${file.id}` });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.rawPayload, bytes);
    assert.equal(response.headers['content-type'], 'application/octet-stream');
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    const disposition = String(response.headers['content-disposition']);
    assert.match(disposition, /^attachment; filename="[^"\\/<>]*"; filename\*=UTF-8''/);
    assert.equal(
      (await auditor.inject({ url: `${threadUrl(ours.caseId, 'internal')}/files/${crypto.randomUUID()}` }))
        .statusCode,
      404,
    );
  });

  it('records one event per post, naming the files but never the message', async () => {
    const secret = `Root password is hunter2-${crypto.randomBytes(3).toString('hex')}`;
    const note = await post(admin.inject, ours.caseId, 'internal', secret, [
      { name: 'notes.txt', content: 'n' },
    ]);
    const toSupplier = await post(analyst.inject, ours.caseId, 'supplier', `${secret} (supplier)`);
    const fix = await post(
      supplier.inject,
      ours.caseId,
      'supplier',
      'Patched build',
      [
        { name: 'fw-2.4.1.bin', content: 'firmware' },
        { name: 'release-notes.txt', content: 'notes' },
      ],
      'fix-material',
    );
    const events = (await caseEvents(product, ours.caseId)).slice(-3);
    assert.deepEqual(
      events.map((e) => [e.kind, e.to]),
      [
        ['INTERNAL_NOTE_ADDED', { messageId: note.id, files: ['notes.txt'] }],
        ['SUPPLIER_MESSAGE_POSTED', { messageId: toSupplier.id, files: [] }],
        ['FIX_MATERIAL_UPLOADED', { messageId: fix.id, files: ['fw-2.4.1.bin', 'release-notes.txt'] }],
      ],
    );
    assert.ok(!JSON.stringify(events).includes('hunter2'));
    assert.deepEqual(
      fix.files.map((f) => f.purpose),
      ['fix-material', 'fix-material'],
    );
    assert.deepEqual(fix.author, { kind: 'supplier', label: 'Sam Supplier (Radio Modules Inc)' });
    const thread = (await supplier.inject({ url: threadUrl(ours.caseId, 'supplier') })).json();
    const asSupplierSees = thread.items.find((m: { id: string }) => m.id === toSupplier.id);
    assert.deepEqual(asSupplierSees.author, {
      kind: 'staff',
      label: `${product.config.orgName} security team`,
    });
    const asStaffSees = (await auditor.inject({ url: threadUrl(ours.caseId, 'supplier') })).json();
    const ids = asStaffSees.items.map((m: { id: string }) => m.id);
    assert.ok(ids.indexOf(toSupplier.id) < ids.indexOf(fix.id), 'oldest first');
    assert.equal(
      asStaffSees.items.find((m: { id: string }) => m.id === toSupplier.id).author.label,
      analyst.user.name,
    );
  });

  it('mails every enabled user of the supplier, without the message, when staff write in the supplier thread', async () => {
    const since = await lastJobId();
    const body = `Please check build ${crypto.randomBytes(3).toString('hex')}`;
    await post(analyst.inject, ours.caseId, 'supplier', body);
    const mails = await mailsAfter(since);
    assert.deepEqual(mails.map((m) => m.to).sort(), [supplier.user.email, colleague.user.email].sort());
    assert.ok(!mails.some((m) => m.to === disabledSupplierUserEmail || m.to === outsider.user.email));
    for (const mail of mails) {
      assert.match(mail.subject, new RegExp(ours.number));
      assert.ok(mail.text.includes(`${product.config.publicUrl}/console/cases/${ours.caseId}`));
      assert.ok(
        !mail.text.includes(body) && !mail.subject.includes(body),
        'the message stays in the console',
      );
    }
    const quiet = await lastJobId();
    await post(analyst.inject, ours.caseId, 'internal', 'internal notes mail nobody');
    assert.deepEqual(await mailsAfter(quiet), []);
  });

  it('mails the case analyst when the supplier writes, or every enabled admin and analyst when there is none', async () => {
    const unassigned = await mailsAfterPost();
    const staff = await product.deps.db
      .selectFrom('users')
      .select('email')
      .where('role', 'in', ['admin', 'analyst'])
      .where('disabled_at', 'is', null)
      .execute();
    assert.deepEqual(unassigned.map((m) => m.to).sort(), staff.map((u) => u.email).sort());
    assert.ok(unassigned.length >= 2);
    const assigned = await analyst.inject({
      method: 'PATCH',
      url: `/api/v1/cases/${ours.caseId}`,
      payload: { assigneeUserId: analyst.user.id },
    });
    assert.equal(assigned.statusCode, 200);
    const toAssignee = await mailsAfterPost();
    assert.deepEqual(
      toAssignee.map((m) => m.to),
      [analyst.user.email],
    );
    assert.match(toAssignee[0]?.subject ?? '', /Radio Modules Inc wrote/);

    async function mailsAfterPost() {
      const since = await lastJobId();
      await post(colleague.inject, ours.caseId, 'supplier', 'We are on it');
      return mailsAfter(since);
    }
  });

  it('lets a supplier acknowledge its case once, shows when to staff and supplier, and tells the analyst', async () => {
    const acknowledgeUrl = `/api/v1/cases/${ours.caseId}/supplier-acknowledgement`;
    assert.equal((await analyst.inject({ method: 'POST', url: acknowledgeUrl })).statusCode, 403);
    assert.equal((await outsider.inject({ method: 'POST', url: acknowledgeUrl })).statusCode, 404);
    const withBody = await supplier.inject({ method: 'POST', url: acknowledgeUrl, payload: { note: 'x' } });
    assert.equal(withBody.statusCode, 400);
    const since = await lastJobId();
    const first = await supplier.inject({ method: 'POST', url: acknowledgeUrl });
    assert.equal(first.statusCode, 200, first.body);
    const at = first.json().supplierAcknowledgedAt;
    assert.ok(at);
    const mails = await mailsAfter(since);
    assert.deepEqual(
      mails.map((m) => [m.to, m.subject]),
      [[analyst.user.email, `[${ours.number}] Radio Modules Inc acknowledged the case`]],
    );
    const again = await colleague.inject({ method: 'POST', url: acknowledgeUrl, payload: {} });
    assert.equal(again.statusCode, 409);
    assert.match(again.json().message, /already acknowledged/);
    assert.equal(
      (await analyst.inject({ url: `/api/v1/cases/${ours.caseId}` })).json().supplierAcknowledgedAt,
      at,
    );
    assert.equal(
      (await supplier.inject({ url: `/api/v1/cases/${ours.caseId}` })).json().supplierAcknowledgedAt,
      at,
    );
    const acks = (await caseEvents(product, ours.caseId)).filter((e) => e.kind === 'SUPPLIER_ACKNOWLEDGED');
    assert.equal(acks.length, 1);
    assert.deepEqual(acks[0]?.to, { supplierId, name: 'Radio Modules Inc' });
    assert.equal(acks[0]?.actor, `user:${supplier.user.id}`);

    // A supplier assigned next has not acknowledged anything yet.
    const nextSupplierId = await createTestSupplier(product, 'Next Supplier');
    const next = await signIn(
      product,
      await createTestUser(product, 'supplier', { supplierId: nextSupplierId }),
    );
    await analyst.inject({
      method: 'PATCH',
      url: `/api/v1/cases/${ours.caseId}`,
      payload: { supplierId: nextSupplierId },
    });
    assert.equal(
      (await analyst.inject({ url: `/api/v1/cases/${ours.caseId}` })).json().supplierAcknowledgedAt,
      null,
    );
    assert.equal((await next.inject({ method: 'POST', url: acknowledgeUrl })).statusCode, 200);
    assert.equal((await supplier.inject({ method: 'POST', url: acknowledgeUrl })).statusCode, 404);
  });

  it('keeps messages and files append-only in the database', async () => {
    const db = product.deps.db;
    const message = await db.selectFrom('case_messages').select('id').executeTakeFirstOrThrow();
    const file = await db.selectFrom('case_message_files').select('id').executeTakeFirstOrThrow();
    await assert.rejects(
      db.updateTable('case_messages').set({ body: 'rewritten' }).where('id', '=', message.id).execute(),
      /append-only/,
    );
    await assert.rejects(
      db.deleteFrom('case_messages').where('id', '=', message.id).execute(),
      /append-only/,
    );
    await assert.rejects(
      db.updateTable('case_message_files').set({ file_name: 'x' }).where('id', '=', file.id).execute(),
      /append-only/,
    );
    await assert.rejects(
      db.deleteFrom('case_message_files').where('id', '=', file.id).execute(),
      /append-only/,
    );
  });
});
