// Every query of the cases feature: cases, their reports, events and affected models.
import { type Kysely, sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { CaseStateColumn, DB } from '../db/schema.ts';

type SeverityColumn = 'none' | 'low' | 'medium' | 'high' | 'critical';

export type CaseRow = {
  id: string;
  number: string;
  title: string;
  summary: string;
  state: CaseStateColumn;
  cvss_vector: string | null;
  cvss_version: string | null;
  cvss_score: number | null;
  cvss_severity: SeverityColumn | null;
  cwe_id: string | null;
  assignee_user_id: string | null;
  assignee_name: string | null;
  supplier_id: string | null;
  supplier_name: string | null;
  fix_available_at: Date | null;
  disclosed_at: Date | null;
  agreed_disclosure_at: Date | null;
  actively_exploited_since: Date | null;
  severe_incident_since: Date | null;
  cra_reports_submitted: Record<string, string>;
  /** The earliest deadline among its clocks still to be met (inbox/next-due.ts). */
  next_due_at: Date | null;
  created_at: Date;
  updated_at: Date;
};

/** Every column of CaseRow, for queries built on casesWithNames. */
export const caseColumns = [
  'cases.id',
  'cases.number',
  'cases.title',
  'cases.summary',
  'cases.state',
  'cases.cvss_vector',
  'cases.cvss_version',
  'cases.cvss_score',
  'cases.cvss_severity',
  'cases.cwe_id',
  'cases.assignee_user_id',
  'users.name as assignee_name',
  'cases.supplier_id',
  'suppliers.name as supplier_name',
  'cases.fix_available_at',
  'cases.disclosed_at',
  'cases.agreed_disclosure_at',
  'cases.actively_exploited_since',
  'cases.severe_incident_since',
  'cases.cra_reports_submitted',
  'cases.next_due_at',
  'cases.created_at',
  'cases.updated_at',
] as const;

/** Cases with their analyst's and supplier's names joined, for selecting CaseRows. */
export const casesWithNames = (db: Db) =>
  db
    .selectFrom('cases')
    .leftJoin('users', 'users.id', 'cases.assignee_user_id')
    .leftJoin('suppliers', 'suppliers.id', 'cases.supplier_id');

/** The case, or undefined when it does not exist or lies outside the supplier scope. */
export async function findCase(db: Db, id: string, supplierId: string | null): Promise<CaseRow | undefined> {
  let query = casesWithNames(db).select(caseColumns).where('cases.id', '=', id);
  if (supplierId !== null) query = query.where('cases.supplier_id', '=', supplierId);
  return query.executeTakeFirst();
}

/** The cases with these ids (any supplier), in no particular order. */
export async function findCases(db: Db, ids: string[]): Promise<CaseRow[]> {
  if (ids.length === 0) return [];
  return casesWithNames(db).select(caseColumns).where('cases.id', 'in', ids).execute();
}

/** Locks the case row for the rest of the transaction, so two changes to one case queue up. */
export async function lockCase(db: Db, id: string): Promise<CaseRow | undefined> {
  await db.selectFrom('cases').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
  return findCase(db, id, null);
}

/** Years whose case-number sequence this process has made sure of, per database. */
const readyYears = new WeakMap<Kysely<DB>, Set<number>>();
const numberSequence = (year: number) => `case_number_${year}`;

/** Makes sure the year's case-number sequence exists (one statement per process and year). */
export async function ensureCaseNumberSequence(db: Kysely<DB>, year: number): Promise<void> {
  const ready = readyYears.get(db) ?? new Set<number>();
  readyYears.set(db, ready);
  if (ready.has(year)) return;
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new Error(`no case year ${year}`);
  try {
    await sql`create sequence if not exists ${sql.id(numberSequence(year))} as integer`.execute(db);
  } catch (error) {
    // Two processes creating it at once: PostgreSQL may report the loser as a duplicate.
    const code = (error as { code?: unknown } | null)?.code;
    if (code !== '23505' && code !== '42P07') throw error;
  }
  ready.add(year);
}

/** Inserts a case numbered CASE-<year>-<at least four digits>; returns its id and number. */
export async function insertCase(
  db: Db,
  year: number,
  values: { title: string; summary: string; createdAt: Date },
): Promise<{ id: string; number: string }> {
  const next = sql<number>`nextval(${numberSequence(year)}::regclass)`;
  const number = sql<string>`(select ${`CASE-${year}-`} || lpad(n::text, greatest(4, length(n::text)), '0') from (select ${next} as n) as next)`;
  return db
    .insertInto('cases')
    .values({
      number,
      title: values.title,
      summary: values.summary,
      created_at: values.createdAt,
      updated_at: values.createdAt,
    })
    .returning(['id', 'number'])
    .executeTakeFirstOrThrow();
}

export type CaseColumns = {
  title?: string;
  summary?: string;
  state?: CaseStateColumn;
  cvss_vector?: string | null;
  cvss_version?: string | null;
  cvss_score?: number | null;
  cvss_severity?: SeverityColumn | null;
  cwe_id?: string | null;
  assignee_user_id?: string | null;
  supplier_id?: string | null;
  fix_available_at?: Date | null;
  disclosed_at?: Date | null;
  agreed_disclosure_at?: Date | null;
  actively_exploited_since?: Date | null;
  severe_incident_since?: Date | null;
  /** JSON of CRA report key → ISO instant. */
  cra_reports_submitted?: string;
};

export async function updateCase(db: Db, id: string, values: CaseColumns, at: Date): Promise<void> {
  await db
    .updateTable('cases')
    .set({ ...values, updated_at: at })
    .where('id', '=', id)
    .execute();
}

export type CaseEventInput = {
  caseId: string;
  at: Date;
  actor: string;
  actorLabel: string;
  kind: string;
  from?: unknown;
  to?: unknown;
  reason?: string | null;
};

const asJson = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** Returns the new events' ids, in the order given. */
export async function insertCaseEvents(db: Db, events: CaseEventInput[]): Promise<string[]> {
  if (events.length === 0) return [];
  const rows = await db
    .insertInto('case_events')
    .values(
      events.map((event) => ({
        case_id: event.caseId,
        at: event.at,
        actor: event.actor,
        actor_label: event.actorLabel,
        kind: event.kind,
        from: asJson(event.from),
        to: asJson(event.to),
        reason: event.reason ?? null,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((row) => String(row.id));
}

export async function listCaseEvents(db: Db, caseId: string) {
  return db
    .selectFrom('case_events')
    .select(['id', 'at', 'actor', 'actor_label', 'kind', 'from', 'to', 'reason'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
}

/** The report with the case it is linked to, if any; undefined when there is no such report. */
export async function findReportLink(db: Db, reportId: string) {
  return db
    .selectFrom('reports')
    .leftJoin('case_reports', 'case_reports.report_id', 'reports.id')
    .leftJoin('cases', 'cases.id', 'case_reports.case_id')
    .select([
      'reports.id',
      'reports.tracking_id',
      'reports.title',
      'case_reports.case_id',
      'cases.number as case_number',
    ])
    .where('reports.id', '=', reportId)
    .executeTakeFirst();
}

export async function insertCaseReport(
  db: Db,
  link: { reportId: string; caseId: string; relation: 'origin' | 'duplicate'; at: Date; by: string },
): Promise<void> {
  await db
    .insertInto('case_reports')
    .values({
      report_id: link.reportId,
      case_id: link.caseId,
      relation: link.relation,
      attached_at: link.at,
      attached_by: link.by,
    })
    .execute();
}

export async function listCaseReports(db: Db, caseId: string) {
  return db
    .selectFrom('case_reports')
    .innerJoin('reports', 'reports.id', 'case_reports.report_id')
    .select([
      'reports.id',
      'reports.tracking_id',
      'reports.title',
      'reports.reporter_name',
      'reports.reporter_email',
      'reports.encrypted',
      'reports.created_at',
      'reports.credit',
      'reports.credit_name',
      'reports.credit_consent_at',
      'case_reports.relation',
      'case_reports.attached_at',
    ])
    .where('case_reports.case_id', '=', caseId)
    .orderBy('case_reports.attached_at')
    .orderBy('reports.created_at')
    .execute();
}

export type AffectsRow = {
  model_id: string;
  model_name: string;
  product_id: string;
  version_range: string;
  fixed_in: string | null;
};

export async function listCaseAffects(db: Db, caseId: string): Promise<AffectsRow[]> {
  return db
    .selectFrom('case_affects')
    .innerJoin('models', 'models.id', 'case_affects.model_id')
    .select([
      'case_affects.model_id',
      'models.name as model_name',
      'models.product_id',
      'case_affects.version_range',
      'case_affects.fixed_in',
    ])
    .where('case_affects.case_id', '=', caseId)
    .orderBy('models.name')
    .orderBy('case_affects.version_range')
    .execute();
}

export async function replaceCaseAffects(
  db: Db,
  caseId: string,
  affects: { modelId: string; versionRange: string; fixedIn: string | null }[],
): Promise<void> {
  await db.deleteFrom('case_affects').where('case_id', '=', caseId).execute();
  if (affects.length === 0) return;
  await db
    .insertInto('case_affects')
    .values(
      affects.map((a) => ({
        case_id: caseId,
        model_id: a.modelId,
        version_range: a.versionRange,
        fixed_in: a.fixedIn,
      })),
    )
    .execute();
}

/** Of the given model ids, those that exist. */
export async function existingModelIds(db: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('models').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((row) => row.id));
}

export async function findSupplierName(db: Db, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('suppliers').select('name').where('id', '=', id).executeTakeFirst();
  return row?.name;
}

/** An enabled staff account (admin or analyst) that cases can be assigned to. */
export async function findAssignableUser(db: Db, id: string) {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'role'])
    .where('id', '=', id)
    .where('role', 'in', ['admin', 'analyst'])
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
}
