// Every query of the case threads: messages and their files, the people a post is mailed to, and
// whether the case's supplier has acknowledged it.
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { CaseThreadColumn } from '../../db/schema.ts';

export type FilePurpose = 'attachment' | 'fix-material';

export type StoredThreadFile = {
  sha256: string;
  size: number;
  fileName: string;
  declaredType: string;
};

export type NewMessage = {
  caseId: string;
  thread: CaseThreadColumn;
  supplierId: string | null;
  authorKind: 'staff' | 'supplier';
  authorUserId: string;
  authorLabel: string;
  body: string;
  at: Date;
};

/** Inserts a message and its files (registering the blobs); returns the message id and file ids. */
export async function insertMessage(
  trx: Db,
  message: NewMessage,
  files: StoredThreadFile[],
  purpose: FilePurpose,
): Promise<{ messageId: string; fileIds: string[] }> {
  const { id: messageId } = await trx
    .insertInto('case_messages')
    .values({
      case_id: message.caseId,
      thread: message.thread,
      supplier_id: message.supplierId,
      author_kind: message.authorKind,
      author_user_id: message.authorUserId,
      author_label: message.authorLabel,
      body: message.body,
      created_at: message.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (files.length === 0) return { messageId, fileIds: [] };
  await trx
    .insertInto('blobs')
    .values(files.map((file) => ({ sha256: file.sha256, size: file.size })))
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  const rows = await trx
    .insertInto('case_message_files')
    .values(
      files.map((file) => ({
        message_id: messageId,
        case_id: message.caseId,
        thread: message.thread,
        purpose,
        file_name: file.fileName,
        declared_type: file.declaredType,
        size: file.size,
        sha256: file.sha256,
        created_at: message.at,
      })),
    )
    .returning('id')
    .execute();
  return { messageId, fileIds: rows.map((row) => row.id) };
}

export type MessageRow = {
  id: string;
  thread: CaseThreadColumn;
  author_kind: 'staff' | 'supplier';
  author_label: string;
  body: string;
  created_at: Date;
};

export type MessageFileRow = {
  id: string;
  message_id: string;
  purpose: FilePurpose;
  file_name: string;
  declared_type: string;
  size: number;
  sha256: string;
};

export type ThreadMessage = MessageRow & { files: MessageFileRow[] };

/**
 * A thread's messages (or the one named), oldest first, each with its files. `supplierId` (for supplier principals)
 * keeps only the messages written while that supplier was the case's supplier.
 */
export async function listMessages(
  db: Db,
  where: { caseId: string; thread: CaseThreadColumn; supplierId: string | null; messageId?: string },
): Promise<ThreadMessage[]> {
  let messages = db
    .selectFrom('case_messages')
    .select(['id', 'thread', 'author_kind', 'author_label', 'body', 'created_at'])
    .where('case_id', '=', where.caseId)
    .where('thread', '=', where.thread);
  if (where.supplierId !== null) messages = messages.where('supplier_id', '=', where.supplierId);
  if (where.messageId !== undefined) messages = messages.where('id', '=', where.messageId);
  const rows = await messages.orderBy('created_at').orderBy('seq').execute();
  if (rows.length === 0) return [];
  const files = await db
    .selectFrom('case_message_files')
    .select(['id', 'message_id', 'purpose', 'file_name', 'declared_type', 'size', 'sha256'])
    .where(
      'message_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('created_at')
    .orderBy('file_name')
    .execute();
  const byMessage = Map.groupBy(files, (file) => file.message_id);
  return rows.map((row) => ({ ...row, files: byMessage.get(row.id) ?? [] }));
}

/** One file of a thread, under the same supplier restriction as listMessages; undefined when none. */
export async function findMessageFile(
  db: Db,
  where: { caseId: string; thread: CaseThreadColumn; supplierId: string | null; fileId: string },
): Promise<MessageFileRow | undefined> {
  let query = db
    .selectFrom('case_message_files')
    .innerJoin('case_messages', 'case_messages.id', 'case_message_files.message_id')
    .select([
      'case_message_files.id',
      'case_message_files.message_id',
      'case_message_files.purpose',
      'case_message_files.file_name',
      'case_message_files.declared_type',
      'case_message_files.size',
      'case_message_files.sha256',
    ])
    .where('case_message_files.id', '=', where.fileId)
    .where('case_messages.case_id', '=', where.caseId)
    .where('case_messages.thread', '=', where.thread);
  if (where.supplierId !== null) query = query.where('case_messages.supplier_id', '=', where.supplierId);
  return query.executeTakeFirst();
}

/** Enabled accounts of a supplier, to be told of a message from the security team. */
export async function supplierRecipients(db: Db, supplierId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('role', '=', 'supplier')
    .where('supplier_id', '=', supplierId)
    .where('disabled_at', 'is', null)
    .orderBy('email')
    .execute();
}

/** The case's analyst when that account is enabled, otherwise every enabled admin and analyst. */
export async function staffRecipients(db: Db, assigneeUserId: string | null) {
  const staff = db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('role', 'in', ['admin', 'analyst'])
    .where('disabled_at', 'is', null);
  if (assigneeUserId !== null) {
    const assignee = await staff.where('id', '=', assigneeUserId).execute();
    if (assignee.length > 0) return assignee;
  }
  return staff.orderBy('email').execute();
}

/** When this supplier acknowledged the case, if it did. */
export async function findSupplierAcknowledgement(
  db: Db,
  caseId: string,
  supplierId: string,
): Promise<Date | undefined> {
  const row = await db
    .selectFrom('case_events')
    .select('at')
    .where('case_id', '=', caseId)
    .where('kind', '=', 'SUPPLIER_ACKNOWLEDGED')
    .where(sql<string>`${sql.ref('to')}->>'supplierId'`, '=', supplierId)
    .orderBy('id')
    .executeTakeFirst();
  return row?.at;
}
