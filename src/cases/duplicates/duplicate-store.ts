// The SQL of duplicate suggestions and merges. Suggestions run in two steps so that both engines use
// the indexes: candidates come from the GIN full-text indexes of cases and reports (`@@`), the best
// ranked few of them are kept, and only those are measured. The index lookups are materialized CTEs
// of their own: inside the larger query the planner preferred a (parallel) scan of all reports.
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { restingStates } from '../clock-store.ts';
import type { CaseState } from '../workflow.ts';
import { type CandidateDocument, documentFrequencyCap, type ProbeLexeme } from './scoring.ts';

/** Text longer than this is cut before it is read for words (a report's first pages say what it is). */
const maxProbeText = 20_000;

/** Each index (cases' vectors, reports' vectors) gives at most this many candidates, best ranked first. */
const candidatesPerIndex = 50;

/** The lexemes of a title and a text as `to_tsvector('english', …)` reads them. */
export async function probeLexemes(db: Db, title: string, text: string): Promise<ProbeLexeme[]> {
  const { rows } = await sql<{ lexeme: string; in_title: boolean; count: number; first: number }>`
    select lexeme, true as in_title, cardinality(positions) as count, positions[1] as first
      from unnest(to_tsvector('english', ${title}))
    union all
    select lexeme, false, cardinality(positions), positions[1]
      from unnest(to_tsvector('english', ${text.slice(0, maxProbeText)}))`.execute(db);
  const lexemes = new Map<string, ProbeLexeme>();
  for (const row of rows) {
    const known = lexemes.get(row.lexeme);
    if (known) known.count += Number(row.count);
    else
      lexemes.set(row.lexeme, {
        lexeme: row.lexeme,
        inTitle: row.in_title,
        count: Number(row.count),
        first: Number(row.first),
      });
  }
  return [...lexemes.values()];
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
  /** The tsquery (text form) that finds candidates through the indexes. */
  prefilter: string;
  /** The tsquery of every compared lexeme, to rank what the prefilter found. */
  rankQuery: string;
  title: string;
  lexemes: string[];
  productIds: string[];
  excludeCaseId: string | null;
  /** Cases at rest count only when changed since then. */
  restingSince: Date;
};

/**
 * The candidates' documents (each case's own vector and each of its reports'), with the title
 * likeness and the compared lexemes each holds. Candidates: the cases whose vector, and the cases
 * one of whose reports' vector, matches the prefilter (GIN indexes), the best ranked of each kind;
 * only cases not at rest or changed since `restingSince`, never the excluded case, and no case
 * left without reports by a merge.
 */
export async function candidateDocuments(db: Db, search: CandidateSearch): Promise<CandidateDocument[]> {
  const resting = sql.join(restingStates.map((state) => sql`${state}`));
  const eligible = sql`(cases.state not in (${resting}) or cases.updated_at >= ${search.restingSince})
    and cases.id is distinct from ${search.excludeCaseId}::uuid`;
  const products = sql`${search.productIds}::uuid[]`;
  const caseOfProduct =
    search.productIds.length === 0
      ? sql`false`
      : sql`exists (
          select 1 from case_affects join models on models.id = case_affects.model_id
          where case_affects.case_id = candidates.id and models.product_id = any(${products}))`;
  const { rows } = await sql<{
    case_id: string;
    number: string;
    case_title: string;
    state: CaseState;
    same_product: boolean;
    tracking_id: string | null;
    title_similarity: number;
    matched: string[];
  }>`
    with case_hits as materialized (
      select cases.id, ts_rank(cases.search, ${search.rankQuery}::tsquery) as rank from cases
      where cases.search @@ ${search.prefilter}::tsquery and ${eligible}
    ),
    report_hits as materialized (
      select reports.id, ts_rank(reports.search, ${search.rankQuery}::tsquery) as rank from reports
      where reports.search @@ ${search.prefilter}::tsquery
    ),
    matches as (
      (select id, rank from case_hits order by rank desc, id limit ${candidatesPerIndex})
      union all
      (select cases.id, report_hits.rank from report_hits
        join case_reports on case_reports.report_id = report_hits.id
        join cases on cases.id = case_reports.case_id
        where ${eligible}
        order by report_hits.rank desc, cases.id limit ${candidatesPerIndex})
    ),
    candidates as (
      select cases.id, cases.number, cases.title, cases.state, cases.search from cases
      where cases.id in (select id from matches)
        -- A case merged into another keeps its title but no reports: suggesting it would only send
        -- people to the case it was merged into, which is suggested on its own.
        and (cases.state <> 'duplicate' or exists (select 1 from case_reports where case_reports.case_id = cases.id))
    ),
    documents as (
      select candidates.id as case_id, null::text as tracking_id, candidates.title, candidates.search,
        ${caseOfProduct} as same_product
      from candidates
      union all
      select case_reports.case_id, reports.tracking_id, reports.title, reports.search,
        coalesce(reports.product_id = any(${products}), false)
      from candidates
        join case_reports on case_reports.case_id = candidates.id
        join reports on reports.id = case_reports.report_id
    )
    select documents.case_id, candidates.number, candidates.title as case_title, candidates.state,
      documents.same_product, documents.tracking_id,
      similarity(documents.title, ${search.title}) as title_similarity,
      array(
        select entry.lexeme from unnest(documents.search) as entry
        where entry.lexeme = any(${search.lexemes}::text[]) order by entry.lexeme
      ) as matched
    from documents join candidates on candidates.id = documents.case_id
    order by candidates.number, documents.tracking_id nulls first`.execute(db);
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
