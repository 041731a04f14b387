// Every query of the intake feature.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB, NewReport } from '../db/schema.ts';

type Db = Kysely<DB> | Transaction<DB>;

export type StoredFile = { sha256: string; size: number; fileName: string; declaredType: string };

export async function listProducts(db: Db) {
  return db.selectFrom('products').select(['id', 'slug', 'name']).orderBy('name').execute();
}

/** The next number of the year's tracking ids; the row lock serialises concurrent submissions. */
export async function nextTrackingNumber(trx: Transaction<DB>, year: number): Promise<number> {
  const row = await trx
    .insertInto('tracking_counters')
    .values({ year, last: 1 })
    .onConflict((oc) => oc.column('year').doUpdateSet({ last: sql`tracking_counters.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return row.last;
}

export async function insertReport(trx: Transaction<DB>, report: NewReport): Promise<string> {
  const row = await trx.insertInto('reports').values(report).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function insertAttachments(
  trx: Transaction<DB>,
  owner: { reportId: string; messageId: string | null },
  files: StoredFile[],
): Promise<void> {
  if (files.length === 0) return;
  await trx
    .insertInto('blobs')
    .values(files.map((file) => ({ sha256: file.sha256, size: file.size })))
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  await trx
    .insertInto('attachments')
    .values(
      files.map((file) => ({
        report_id: owner.reportId,
        message_id: owner.messageId,
        file_name: file.fileName,
        declared_type: file.declaredType,
        size: file.size,
        sha256: file.sha256,
      })),
    )
    .execute();
}

export async function insertReportEvent(
  trx: Transaction<DB>,
  event: { reportId: string; kind: string; public: boolean; actor: string; detail?: unknown },
): Promise<void> {
  await trx
    .insertInto('report_events')
    .values({
      report_id: event.reportId,
      kind: event.kind,
      public: event.public,
      actor: event.actor,
      detail: JSON.stringify(event.detail ?? {}),
    })
    .execute();
}

export async function insertMessage(
  trx: Transaction<DB>,
  message: { reportId: string; author: 'reporter' | 'staff'; body: string },
): Promise<string> {
  const row = await trx
    .insertInto('report_messages')
    .values({ report_id: message.reportId, author: message.author, body: message.body })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findReportByTokenHash(db: Db, tokenHash: string) {
  return db
    .selectFrom('reports')
    .leftJoin('products', 'products.id', 'reports.product_id')
    .select([
      'reports.id',
      'reports.tracking_id',
      'reports.status',
      'reports.title',
      'reports.encrypted',
      'reports.reporter_email',
      'reports.created_at',
      'reports.product_text',
      'products.name as product_name',
    ])
    .where('reports.status_token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function listPublicEvents(db: Db, reportId: string) {
  return db
    .selectFrom('report_events')
    .select(['kind', 'detail', 'created_at'])
    .where('report_id', '=', reportId)
    .where('public', '=', true)
    .orderBy('id')
    .execute();
}

export async function listMessages(db: Db, reportId: string) {
  const messages = await db
    .selectFrom('report_messages')
    .select(['id', 'author', 'body', 'created_at'])
    .where('report_id', '=', reportId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const files = await db
    .selectFrom('attachments')
    .select(['message_id', 'file_name', 'size'])
    .where('report_id', '=', reportId)
    .orderBy('created_at')
    .execute();
  return { messages, files };
}

export async function reportCount(db: Db): Promise<number> {
  const row = await db
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Reporters who chose to be named, on reports whose advisory is published. */
export async function creditedReporters(db: Db) {
  return db
    .selectFrom('reports')
    .select(['credit_name', 'tracking_id'])
    .where('credit', '=', 'named')
    .where('status', '=', 'disclosed')
    .orderBy('created_at')
    .execute();
}
