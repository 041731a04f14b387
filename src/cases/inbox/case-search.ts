// Full-text search of cases: PostgreSQL's websearch syntax (words, "a phrase", -word, OR) in English
// against each case's number, title and summary (cases.search) and, for staff, the text of its
// reports (reports.search: title, and description, steps and impact unless encrypted); a case number
// such as CASE-2026-0001 also finds that case exactly. Both vectors have GIN indexes (migration 0060).
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

const caseNumber = /^case-\d{4}-\d{4,}$/i;

/** The ids of the cases the words find, as a subquery (a union of index lookups). */
export function matchingCaseIds(db: Db, q: string, searchesReports: boolean) {
  const words = sql`websearch_to_tsquery('english', ${q})`;
  let ids = db
    .selectFrom('cases as by_text')
    .select('by_text.id')
    .where(sql<boolean>`by_text.search @@ ${words}`);
  const number = q.trim();
  if (caseNumber.test(number)) {
    ids = ids.union(
      db
        .selectFrom('cases as by_number')
        .select('by_number.id')
        .where('by_number.number', '=', number.toUpperCase()),
    );
  }
  if (searchesReports) {
    ids = ids.union(
      db
        .selectFrom('case_reports')
        .innerJoin('reports', 'reports.id', 'case_reports.report_id')
        .select('case_reports.case_id as id')
        .where(sql<boolean>`reports.search @@ ${words}`),
    );
  }
  return ids;
}
