// The reporter thread of a case: who on the staff wrote each message to a reporter, extra private
// status links (each notice mailed to a reporter carries a fresh one, since the first link is kept
// only as a hash), and when a reporter consented to be credited by name.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table report_messages
      add column author_user_id uuid references users (id),
      add column author_label text;

    create table report_access_links (
      id uuid primary key default gen_random_uuid(),
      report_id uuid not null references reports (id),
      token_hash text not null unique,
      purpose text not null,
      created_at timestamptz not null default now()
    );
    create index report_access_links_report on report_access_links (report_id);

    -- Choosing named credit when sending a report is consent given at that moment.
    alter table reports add column credit_consent_at timestamptz;
    update reports set credit_consent_at = created_at where credit = 'named';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table reports drop column credit_consent_at;
    drop table report_access_links;
    alter table report_messages drop column author_label, drop column author_user_id;
  `.execute(db);
}
