// Foundation: settings, keys, the job queue, products, and the researcher's reports.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table settings (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null default now()
    );

    create table server_keys (
      purpose text primary key,
      fingerprint text not null,
      public_armored text not null,
      private_armored text not null,
      created_at timestamptz not null default now()
    );

    create table jobs (
      id bigserial primary key,
      type text not null,
      payload jsonb not null,
      state text not null default 'queued' check (state in ('queued', 'running', 'done', 'failed')),
      idempotency_key text unique,
      attempts integer not null default 0,
      max_attempts integer not null default 8,
      run_at timestamptz not null default now(),
      locked_until timestamptz,
      last_error text,
      created_at timestamptz not null default now(),
      finished_at timestamptz
    );
    create index jobs_ready on jobs (run_at) where state in ('queued', 'running');

    create table products (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique,
      name text not null,
      description text not null default '',
      created_at timestamptz not null default now()
    );

    create table tracking_counters (
      year integer primary key,
      last integer not null
    );

    create table blobs (
      sha256 text primary key,
      size bigint not null,
      created_at timestamptz not null default now()
    );

    create table reports (
      id uuid primary key default gen_random_uuid(),
      tracking_id text not null unique,
      status text not null default 'received',
      source text not null check (source in ('form', 'api')),
      title text not null,
      product_id uuid references products (id),
      product_text text,
      version text,
      description text not null,
      encrypted boolean not null default false,
      steps text,
      impact text,
      cvss_vector text,
      reporter_name text,
      reporter_email text,
      credit text not null check (credit in ('named', 'anonymous')),
      credit_name text,
      preferred_disclosure_date date,
      status_token_hash text not null unique,
      created_at timestamptz not null default now()
    );
    create index reports_created on reports (created_at desc);

    create table report_messages (
      id uuid primary key default gen_random_uuid(),
      report_id uuid not null references reports (id),
      author text not null check (author in ('reporter', 'staff')),
      body text not null,
      created_at timestamptz not null default now()
    );
    create index report_messages_report on report_messages (report_id, created_at);

    create table report_events (
      id bigserial primary key,
      report_id uuid not null references reports (id),
      kind text not null,
      public boolean not null,
      detail jsonb not null default '{}',
      actor text not null,
      created_at timestamptz not null default now()
    );
    create index report_events_report on report_events (report_id, id);

    create table attachments (
      id uuid primary key default gen_random_uuid(),
      report_id uuid not null references reports (id),
      message_id uuid references report_messages (id),
      file_name text not null,
      declared_type text not null,
      size bigint not null,
      sha256 text not null references blobs (sha256),
      created_at timestamptz not null default now()
    );
    create index attachments_report on attachments (report_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table attachments; drop table report_events; drop table report_messages; drop table reports;
    drop table blobs; drop table tracking_counters; drop table products; drop table jobs;
    drop table server_keys; drop table settings;
  `.execute(db);
}
