// The SQL of duplicate suggestions and merges. Suggestions run in two steps so that both engines use
// the indexes: candidates come from the GIN indexes (`@@` on the full-text vectors of cases and
// reports, `%` on the trigram indexes of their titles), then only those few are measured.
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { CaseStateColumn } from '../../db/schema.ts';
import { restingStates } from '../clock-store.ts';
import { type CandidateDocument, documentFrequencyCap, type ProbeToken } from './scoring.ts';

/** Text longer than this is cut before it is read for words (a report's first pages say what it is). */
const maxProbeText = 20_000;

/** The words of a title and a text as `to_tsvector('english', …)` reads them, in order. */
export async function probeTokens(db: Db, title: string, text: string): Promise<ProbeToken[]> {
  const { rows } = await sql<{ lexeme: string; token: string; in_title: boolean }>`
    select lexeme, token, in_title from (
      select token, lexemes, true as in_title, n from ts_debug('english', ${title}) with ordinality as d(alias, description, token, dictionaries, dictionary, lexemes, n)
      union all
      select token, lexemes, false, n from ts_debug('english', ${text.slice(0, maxProbeText)}) with ordinality as d(alias, description, token, dictionaries, dictionary, lexemes, n)
    ) as tokens cross join unnest(lexemes) as lexeme
    order by in_title desc, n`.execute(db);
  return rows.map((row) => ({ lexeme: row.lexeme, token: row.token, inTitle: row.in_title }));
}

/** For each lexeme, how many reports hold it, counted up to the cap (each count is one index lookup). */
export async function documentFrequencies(
  db: Db,
  lexemes: string[],
  queries: string[],
): Promise<Map<string, number>> {
  if (lexemes.length === 0) return new Map();
  const { rows } = await sql<{ lexeme: string; n: number }>`
    select lexeme, (
      select count(*) from (select 1 from reports where search @@ query::tsquery limit ${documentFrequencyCap}) as hits
    )::int as n
    from unnest(${lexemes}::text[], ${queries}::text[]) as t(lexeme, query)`.execute(db);
  return new Map(rows.map((row) => [row.lexeme, Number(row.n)]));
}

export type CandidateSearch = {
  /** A tsquery (text form) matching any of the rarest words. */
  prefilter: string;
  title: string;
  lexemes: string[];
  productIds: string[];
  excludeCaseId: string | null;
  /** Cases at rest count only when changed since then. */
  restingSince: Date;
};

/**
 * The candidates' documents (each case's own vector and each of its reports'), with the title
 * likeness and the compared lexemes each holds. Candidates: cases whose vector or whose reports'
 * vectors match the prefilter, or whose or whose reports' titles are trigram-alike (`%`, pg_trgm's
 * similarity threshold 0.3); not at rest or changed since `restingSince`; not the excluded case.
 */
export async function candidateDocuments(db: Db, search: CandidateSearch): Promise<CandidateDocument[]> {
  const resting = sql.join(restingStates.map((state) => sql`${state}`));
  const { rows } = await sql<{
    case_id: string;
    number: string;
    case_title: string;
    state: CaseStateColumn;
    same_product: boolean;
    tracking_id: string | null;
    title_similarity: number;
    matched: string[];
  }>`
    with candidates as (
      select id from cases where search @@ ${search.prefilter}::tsquery
      union
      select case_reports.case_id from reports join case_reports on case_reports.report_id = reports.id
        where reports.search @@ ${search.prefilter}::tsquery
      union
      select id from cases where title % ${search.title}
      union
      select case_reports.case_id from reports join case_reports on case_reports.report_id = reports.id
        where reports.title % ${search.title}
    ),
    eligible as (
      select cases.id, cases.number, cases.title, cases.state, cases.search,
        exists (
          select 1 from case_affects join models on models.id = case_affects.model_id
          where case_affects.case_id = cases.id and models.product_id = any(${search.productIds}::uuid[])
        ) or exists (
          select 1 from case_reports join reports on reports.id = case_reports.report_id
          where case_reports.case_id = cases.id and reports.product_id = any(${search.productIds}::uuid[])
        ) as same_product
      from cases join candidates on candidates.id = cases.id
      where (cases.state not in (${resting}) or cases.updated_at >= ${search.restingSince})
        and cases.id is distinct from ${search.excludeCaseId}::uuid
    ),
    documents as (
      select eligible.id as case_id, null::text as tracking_id, eligible.title, eligible.search from eligible
      union all
      select case_reports.case_id, reports.tracking_id, reports.title, reports.search
      from eligible
        join case_reports on case_reports.case_id = eligible.id
        join reports on reports.id = case_reports.report_id
    )
    select documents.case_id, eligible.number, eligible.title as case_title, eligible.state,
      eligible.same_product, documents.tracking_id,
      similarity(documents.title, ${search.title}) as title_similarity,
      array(
        select entry.lexeme from unnest(documents.search) as entry
        where entry.lexeme = any(${search.lexemes}::text[]) order by entry.lexeme
      ) as matched
    from documents join eligible on eligible.id = documents.case_id
    order by eligible.number, documents.tracking_id nulls first`.execute(db);
  return rows.map((row) => ({
    caseId: row.case_id,
    number: row.number,
    caseTitle: row.case_title,
    state: row.state,
    sameProduct: row.same_product,
    trackingId: row.tracking_id,
    titleSimilarity: Number(row.title_similarity),
    matchedLexemes: row.matched,
  }));
}

/** What a report says, for comparing it with cases; undefined when there is no such report. */
export async function findReportText(db: Db, reportId: string) {
  return db
    .selectFrom('reports')
    .leftJoin('case_reports', 'case_reports.report_id', 'reports.id')
    .select([
      'reports.id',
      'reports.title',
      'reports.description',
      'reports.encrypted',
      'reports.steps',
      'reports.impact',
      'reports.product_id',
      'case_reports.case_id',
    ])
    .where('reports.id', '=', reportId)
    .executeTakeFirst();
}

export type ReportText = NonNullable<Awaited<ReturnType<typeof findReportText>>>;

/** A case's own text, its reports' texts (oldest first) and the products it concerns. */
export async function findCaseText(db: Db, caseId: string) {
  const found = await db
    .selectFrom('cases')
    .select(['id', 'title', 'summary'])
    .where('id', '=', caseId)
    .executeTakeFirst();
  if (!found) return undefined;
  const [reports, affected] = await Promise.all([
    db
      .selectFrom('case_reports')
      .innerJoin('reports', 'reports.id', 'case_reports.report_id')
      .select([
        'reports.id',
        'reports.title',
        'reports.description',
        'reports.encrypted',
        'reports.steps',
        'reports.impact',
        'reports.product_id',
        'case_reports.case_id',
      ])
      .where('case_reports.case_id', '=', caseId)
      .orderBy('reports.created_at')
      .orderBy('reports.id')
      .execute(),
    db
      .selectFrom('case_affects')
      .innerJoin('models', 'models.id', 'case_affects.model_id')
      .select('models.product_id')
      .distinct()
      .where('case_affects.case_id', '=', caseId)
      .execute(),
  ]);
  return { ...found, reports, affectedProductIds: affected.map((row) => row.product_id) };
}

/** Moves every report of one case to another as a duplicate; returns them, oldest first. */
export async function moveCaseReports(trx: Db, fromCaseId: string, toCaseId: string) {
  const moved = await trx
    .updateTable('case_reports')
    .set({ case_id: toCaseId, relation: 'duplicate' })
    .where('case_id', '=', fromCaseId)
    .returning('report_id')
    .execute();
  if (moved.length === 0) return [];
  return trx
    .selectFrom('reports')
    .select(['id', 'tracking_id'])
    .where(
      'id',
      'in',
      moved.map((row) => row.report_id),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
