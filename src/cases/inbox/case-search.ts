// Full-text search of cases: PostgreSQL's websearch syntax (words, "a phrase", -word, OR) in English
// against each case's number, title and summary (cases.search) and, for staff, the text of its
// reports (reports.search: title, and description, steps and impact unless encrypted); a case number
// such as CASE-2026-0001 also finds that case exactly. Both vectors have GIN indexes (migration 0060).
//
// The two are separate conditions, queried as two branches of a union (inbox-store.ts): for a rare
// word the planner reads each GIN index; for a common one it walks the cases in the order asked for
// and checks each case's own text, or looks up its reports, until the page is full. One condition
// with OR would make it read every matching report first. Whether words are common is read from
// how many cases their own text matches (counted first, up to the cap, for the total anyway).
import { type RawBuilder, sql } from 'kysely';

const caseNumber = /^case-\d{4}-\d{4,}$/i;

const wordsOf = (q: string) => sql`websearch_to_tsquery('english', ${q})`;

/** The case's own number, title or summary match. */
export function caseTextMatches(q: string): RawBuilder<boolean> {
  const number = q.trim();
  const byNumber = caseNumber.test(number) ? sql` or cases.number = ${number.toUpperCase()}` : sql``;
  return sql<boolean>`(cases.search @@ ${wordsOf(q)}${byNumber})`;
}

/**
 * One of the case's reports matches (staff only: reports are internal). `common`: the words are
 * known to be frequent, so the check is written so that the planner cannot turn it into a join
 * over every matching report; it then walks the cases in order and looks at each one's reports
 * until the page is full. (Its estimate for several words is far too low: it multiplies their
 * frequencies, and would read and sort thousands of matches.)
 */
export function reportTextMatches(q: string, common: boolean): RawBuilder<boolean> {
  const match = sql`from case_reports join reports on reports.id = case_reports.report_id
    where case_reports.case_id = cases.id and reports.search @@ ${wordsOf(q)}`;
  return common ? sql<boolean>`((select count(*) ${match}) > 0)` : sql<boolean>`exists (select 1 ${match})`;
}
