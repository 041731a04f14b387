// Every query of the intake feature.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB, NewReport } from '../db/schema.ts';

type Db = Kysely<DB> | Transaction<DB>;

export type StoredFile = { sha256: string; size: number; fileName: string; declaredType: string };

export async function listProducts(db: Db) {
  return db.selectFrom('products').select(['id', 'slug', 'name']).orderBy('name').execute();
}

export async function productExists(db: Db, id: string): Promise<boolean> {
  const row = await db.selectFrom('products').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

/** Years whose tracking-number sequence this process has already made sure of, per database. */
const readyYears = new WeakMap<Kysely<DB>, Set<number>>();

const trackingSequence = (year: number) => `tracking_number_${year}`;

/**
 * Makes sure the year's tracking-number sequence exists: one statement the first time a process
 * submits in a year, none after. Sequences hand out numbers without a lock held to the commit.
 */
export async function ensureTrackingSequence(db: Kysely<DB>, year: number): Promise<void> {
  const ready = readyYears.get(db) ?? new Set<number>();
  readyYears.set(db, ready);
  if (ready.has(year)) return;
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new Error(`no tracking year ${year}`);
  try {
    await sql`create sequence if not exists ${sql.id(trackingSequence(year))} as integer`.execute(db);
  } catch (error) {
    // Two processes creating it at once: PostgreSQL may report the loser as a duplicate.
    if (!isDuplicateObject(error)) throw error;
  }
  ready.add(year);
}

export type ReceivedReport = { id: string; trackingId: string };

/**
 * Inserts a report with the next tracking number of its year and its `received` event, in ONE
 * statement (one round trip). On its own it commits as one transaction; inside a transaction it
 * is part of it. Throws UnknownProduct when product_id names no product (the foreign key decides).
 */
export async function insertReceivedReport(
  db: Db,
  year: number,
  report: Omit<NewReport, 'tracking_id'>,
  received: { attachments: number },
): Promise<ReceivedReport> {
  const number = sql<number>`nextval(${trackingSequence(year)}::regclass)`;
  // At least four digits (VR-2026-0007); never truncated past 9999.
  const trackingId = sql<string>`(select ${`VR-${year}-`} || lpad(n::text, greatest(4, length(n::text)), '0') from (select ${number} as n) as next)`;
  try {
    const row = await db
      .with('report', (qb) =>
        qb
          .insertInto('reports')
          .values({ ...report, tracking_id: trackingId })
          .returning(['id', 'tracking_id']),
      )
      .with('received', (qb) =>
        qb
          .insertInto('report_events')
          .columns(['report_id', 'kind', 'public', 'actor', 'detail'])
          .expression((eb) =>
            eb
              .selectFrom('report')
              .select([
                'report.id',
                sql<string>`'received'`.as('kind'),
                sql<boolean>`true`.as('public'),
                sql<string>`'reporter'`.as('actor'),
                sql<string>`${JSON.stringify(received)}::jsonb`.as('detail'),
              ]),
          ),
      )
      .selectFrom('report')
      .select(['report.id', 'report.tracking_id'])
      .executeTakeFirstOrThrow();
    return { id: row.id, trackingId: row.tracking_id };
  } catch (error) {
    if (isForeignKeyViolation(error, 'reports_product_id_fkey')) throw new UnknownProduct();
    throw error;
  }
}

/** The report named a product that does not exist (any more). */
export class UnknownProduct extends Error {
  constructor() {
    super('productId names no product');
  }
}

type PostgresError = { code?: unknown; constraint?: unknown };

function isForeignKeyViolation(error: unknown, constraint: string): boolean {
  const { code, constraint: violated } = (error ?? {}) as PostgresError;
  return code === '23503' && violated === constraint;
}

function isDuplicateObject(error: unknown): boolean {
  const { code } = (error ?? {}) as PostgresError;
  return code === '23505' || code === '42P07';
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
  message: {
    reportId: string;
    author: 'reporter' | 'staff';
    body: string;
    at: Date;
    /** Staff messages: who wrote it, kept for staff; the reporter sees "Security team". */
    staff?: { userId: string; label: string };
  },
): Promise<string> {
  const row = await trx
    .insertInto('report_messages')
    .values({
      report_id: message.reportId,
      author: message.author,
      body: message.body,
      created_at: message.at,
      ...(message.staff ? { author_user_id: message.staff.userId, author_label: message.staff.label } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const reportByToken = (db: Db) =>
  db
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
      'reports.credit',
      'reports.credit_name',
      'reports.credit_consent_at',
    ]);

/**
 * The report a status link opens: the link given at submission (reports.status_token_hash) or one
 * mailed later with a notice (report_access_links). Two indexed lookups; the second only for a miss.
 */
export async function findReportByTokenHash(db: Db, tokenHash: string) {
  const original = await reportByToken(db)
    .where('reports.status_token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (original) return original;
  return reportByToken(db)
    .innerJoin('report_access_links', 'report_access_links.report_id', 'reports.id')
    .where('report_access_links.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function insertAccessLink(
  db: Db,
  link: { reportId: string; tokenHash: string; purpose: string; at: Date },
): Promise<string> {
  const row = await db
    .insertInto('report_access_links')
    .values({
      report_id: link.reportId,
      token_hash: link.tokenHash,
      purpose: link.purpose,
      created_at: link.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export type CreditChoice = {
  credit: 'named' | 'anonymous';
  creditName: string | null;
  consentAt: Date | null;
};

export async function updateCredit(db: Db, reportId: string, choice: CreditChoice): Promise<void> {
  await db
    .updateTable('reports')
    .set({ credit: choice.credit, credit_name: choice.creditName, credit_consent_at: choice.consentAt })
    .where('id', '=', reportId)
    .execute();
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

/**
 * Reporters who chose to be named, on reports whose case has been published: its disclosure date
 * is recorded or it was moved to `disclosed` (a case closed after that stays published).
 */
export async function creditedReporters(db: Db) {
  return db
    .selectFrom('reports')
    .innerJoin('case_reports', 'case_reports.report_id', 'reports.id')
    .innerJoin('cases', 'cases.id', 'case_reports.case_id')
    .select(['reports.credit_name', 'reports.tracking_id'])
    .where('reports.credit', '=', 'named')
    .where((eb) =>
      eb.or([
        eb('cases.disclosed_at', 'is not', null),
        eb.exists(
          eb
            .selectFrom('case_events')
            .select('case_events.id')
            .whereRef('case_events.case_id', '=', 'cases.id')
            .where('case_events.kind', '=', 'STATE_CHANGED')
            .where(sql<string>`case_events."to" ->> 'state'`, '=', 'disclosed'),
        ),
      ]),
    )
    .orderBy('reports.created_at')
    .execute();
}
