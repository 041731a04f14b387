// Posts a message, with files, in a case's supplier thread or internal notes: one case event per
// post (never the body), and in the supplier thread a mail to the other side, all in one commit.
import type { Principal } from '../../../auth/access.ts';
import type { Deps } from '../../../deps.ts';
import type { IncomingFile } from '../../../intake/service.ts';
import { queueMail } from '../../../mail/jobs.ts';
import { Conflict, Invalid, NotFound } from '../../../platform/errors.ts';
import { recordCaseChanges } from '../../case-events.ts';
import { caseConsoleUrl } from '../../case-webhooks.ts';
import { type CaseRow, lockCase } from '../../store.ts';
import * as store from '../store.ts';
import { staffWroteMail, supplierActedMail } from '../thread-mails.ts';
import { openThread, type ThreadName } from '../thread-policy.ts';

export const maxMessageLength = 50_000;

export type ThreadPost = { body: string; purpose: store.FilePurpose; files: IncomingFile[] };

/** Checks, before any upload is read, that the principal may post in this thread of the case. */
export async function checkThreadWrite(deps: Deps, principal: Principal, caseId: string, thread: ThreadName) {
  await openThread(deps.db, principal, caseId, thread, 'write');
}

function checkPost(thread: ThreadName, post: ThreadPost): string {
  const body = post.body.trim();
  if (body === '' && post.files.length === 0) {
    throw new Invalid({ body: 'is empty: write a message or attach a file' });
  }
  if (body.length > maxMessageLength)
    throw new Invalid({ body: `must be at most ${maxMessageLength} characters` });
  if (post.purpose === 'fix-material') {
    if (thread !== 'supplier') throw new Invalid({ purpose: 'fix-material belongs in the supplier thread' });
    if (post.files.length === 0) throw new Invalid({ attachments: 'fix material needs at least one file' });
  }
  return body;
}

const noSupplier = () =>
  new Conflict('The case has no supplier: assign one before writing in the supplier thread.');

const eventKind = (thread: ThreadName, purpose: store.FilePurpose) =>
  thread === 'internal'
    ? 'INTERNAL_NOTE_ADDED'
    : purpose === 'fix-material'
      ? 'FIX_MATERIAL_UPLOADED'
      : 'SUPPLIER_MESSAGE_POSTED';

function authorOf(principal: Principal, row: CaseRow) {
  const token = principal.via === 'token' ? ' (API token)' : '';
  return principal.role === 'supplier'
    ? { kind: 'supplier' as const, label: `${principal.name} (${row.supplier_name ?? 'supplier'})${token}` }
    : { kind: 'staff' as const, label: `${principal.name}${token}` };
}

/** Stores the post and returns the new message's id. Files must already be received into the blob store. */
export async function postThreadMessage(
  deps: Deps,
  principal: Principal,
  caseId: string,
  thread: ThreadName,
  post: ThreadPost,
): Promise<string> {
  const body = checkPost(thread, post);
  const opened = await openThread(deps.db, principal, caseId, thread, 'write');
  if (thread === 'supplier' && opened.row.supplier_id === null) throw noSupplier();
  for (const file of post.files) await deps.blobs.commit(file);
  const now = deps.clock();
  const messageId = await deps.db.transaction().execute(async (trx) => {
    const row = await lockCase(trx, caseId);
    // The case's supplier may have changed since the check above.
    if (!row || (opened.supplierScope !== null && row.supplier_id !== opened.supplierScope)) {
      throw new NotFound('No such case or thread');
    }
    const supplierId = thread === 'supplier' ? row.supplier_id : null;
    if (thread === 'supplier' && supplierId === null) throw noSupplier();
    const author = authorOf(principal, row);
    const stored = await store.insertMessage(
      trx,
      {
        caseId,
        thread,
        supplierId,
        authorKind: author.kind,
        authorUserId: principal.userId,
        authorLabel: author.label,
        body,
        at: now,
      },
      post.files,
      post.purpose,
    );
    await recordCaseChanges(trx, principal, caseId, now, [
      {
        kind: eventKind(thread, post.purpose),
        to: { messageId: stored.messageId, files: post.files.map((file) => file.fileName) },
      },
    ]);
    if (supplierId !== null) {
      await queueThreadMails(deps, trx, { row, supplierId, messageId: stored.messageId, author, post });
    }
    return stored.messageId;
  });
  deps.wakeWorkers();
  return messageId;
}

/** Staff wrote: every enabled user of the supplier hears of it. The supplier wrote: the case's analyst (or all staff). */
async function queueThreadMails(
  deps: Deps,
  trx: Parameters<typeof queueMail>[0],
  post: {
    row: CaseRow;
    supplierId: string;
    messageId: string;
    author: { kind: 'staff' | 'supplier' };
    post: ThreadPost;
  },
) {
  const { row, messageId } = post;
  const caseRef = { id: row.id, number: row.number };
  const url = caseConsoleUrl(deps.config.publicUrl, row.id);
  const fixMaterial = post.post.purpose === 'fix-material';
  if (post.author.kind === 'staff') {
    for (const user of await store.supplierRecipients(trx, post.supplierId)) {
      const to = { userId: user.id, email: user.email };
      await queueMail(
        trx,
        staffWroteMail({ to, orgName: deps.config.orgName, caseRef, url, messageId, fixMaterial }),
      );
    }
    return;
  }
  for (const user of await store.staffRecipients(trx, row.assignee_user_id)) {
    const to = { userId: user.id, email: user.email };
    const supplierName = row.supplier_name ?? 'The supplier';
    const action = fixMaterial ? 'fix-material' : 'message';
    await queueMail(trx, supplierActedMail({ to, supplierName, caseRef, url, about: messageId, action }));
  }
}
