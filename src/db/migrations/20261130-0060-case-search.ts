// Search and deadline order for cases: full-text vectors on cases and reports, trigram indexes for
// "looks like" matching of titles (pg_trgm, which PGlite also ships), and each case's next deadline
// as a column so the inbox can sort and filter on it with an index. `next_due_at` is written by the
// cases feature whenever a case changes (its clocks are computed in code, not SQL).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create extension if not exists pg_trgm;

    alter table cases add column search tsvector generated always as (
      setweight(to_tsvector('simple', number), 'A') ||
      setweight(to_tsvector('english', title), 'A') ||
      setweight(to_tsvector('english', summary), 'B')
    ) stored;
    create index cases_search on cases using gin (search);
    create index cases_title_trgm on cases using gin (title gin_trgm_ops);

    alter table cases add column next_due_at timestamptz;
    create index cases_next_due on cases (next_due_at, id);

    alter table reports add column search tsvector generated always as (
      setweight(to_tsvector('english', title), 'A') ||
      setweight(to_tsvector('english',
        case when encrypted then '' else description || ' ' || coalesce(steps, '') || ' ' || coalesce(impact, '') end
      ), 'B')
    ) stored;
    create index reports_search on reports using gin (search);
    create index reports_title_trgm on reports using gin (title gin_trgm_ops);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index reports_title_trgm; drop index reports_search; alter table reports drop column search;
    drop index cases_next_due; alter table cases drop column next_due_at;
    drop index cases_title_trgm; drop index cases_search; alter table cases drop column search;
  `.execute(db);
}
