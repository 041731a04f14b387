// Cases: one per distinct vulnerability, the reports linked to it (a report belongs to at most one
// case), the append-only event trail of every change, and what each case affects (model × range).
// Case numbers (CASE-2026-0001) come from one sequence per year, created when first needed.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table cases (
      id uuid primary key default gen_random_uuid(),
      number text not null unique,
      title text not null,
      summary text not null default '',
      state text not null default 'new' check (state in (
        'new', 'triage', 'confirmed', 'not-a-vulnerability', 'duplicate', 'out-of-scope',
        'fixing', 'fix-available', 'disclosed', 'closed')),
      cvss_vector text,
      cvss_version text check (cvss_version in ('3.0', '3.1', '4.0')),
      cvss_score numeric(3, 1),
      cvss_severity text check (cvss_severity in ('none', 'low', 'medium', 'high', 'critical')),
      cwe_id text check (cwe_id ~ '^CWE-[1-9][0-9]*$'),
      assignee_user_id uuid references users (id),
      supplier_id uuid references suppliers (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index cases_state on cases (state, updated_at desc);
    create index cases_assignee on cases (assignee_user_id) where assignee_user_id is not null;
    create index cases_supplier on cases (supplier_id) where supplier_id is not null;

    create table case_reports (
      report_id uuid primary key references reports (id),
      case_id uuid not null references cases (id),
      relation text not null check (relation in ('origin', 'duplicate')),
      attached_at timestamptz not null,
      attached_by text not null
    );
    create index case_reports_case on case_reports (case_id);

    create table case_events (
      id bigserial primary key,
      case_id uuid not null references cases (id),
      at timestamptz not null,
      actor text not null,
      actor_label text not null,
      kind text not null check (kind ~ '^[A-Z][A-Z0-9_]*$'),
      "from" jsonb,
      "to" jsonb,
      reason text
    );
    create index case_events_case on case_events (case_id, id);

    create function case_events_are_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'case_events is append-only';
    end;
    $$;
    create trigger case_events_append_only before update or delete on case_events
      for each row execute function case_events_are_append_only();

    create table case_affects (
      id uuid primary key default gen_random_uuid(),
      case_id uuid not null references cases (id),
      model_id uuid not null references models (id),
      version_range text not null,
      fixed_in text,
      unique (case_id, model_id, version_range)
    );
    create index case_affects_model on case_affects (model_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table case_affects; drop table case_events; drop function case_events_are_append_only();
    drop table case_reports; drop table cases;
  `.execute(db);
}
