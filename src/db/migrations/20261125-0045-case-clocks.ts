// What the deadline clocks of a case need beyond its events: when a fix became available and the
// case was disclosed (if recorded apart from the workflow), an agreed disclosure date, when the maker
// learnt of active exploitation or of a severe incident, and when each CRA report was submitted.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table cases
      add column fix_available_at timestamptz,
      add column disclosed_at timestamptz,
      add column agreed_disclosure_at timestamptz,
      add column actively_exploited_since timestamptz,
      add column severe_incident_since timestamptz,
      -- { "<CRA report key>": "<ISO instant submitted>" }
      add column cra_reports_submitted jsonb not null default '{}'::jsonb;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table cases
      drop column fix_available_at, drop column disclosed_at, drop column agreed_disclosure_at,
      drop column actively_exploited_since, drop column severe_incident_since,
      drop column cra_reports_submitted;
  `.execute(db);
}
