// Indexes for the inbox (docs/benchmarks.md, inbox): each sort of GET /api/v1/cases walks an index
// in its order and stops when the page is full, instead of sorting every matching case; severity
// with the next deadline answers "overdue and critical" from the index; and a case's state moves
// (from which its clocks are read) no longer mean reading every event of the case.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index cases_updated on cases (updated_at desc, id);
    create index cases_created on cases (created_at desc, id);
    create index cases_score on cases (cvss_score desc nulls last, id);
    create index cases_severity_due on cases (cvss_severity, next_due_at);
    create index case_events_state_moves on case_events (case_id, id)
      where kind in ('STATE_CHANGED', 'CASE_REOPENED');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index case_events_state_moves; drop index cases_severity_due; drop index cases_score;
    drop index cases_created; drop index cases_updated;
  `.execute(db);
}
