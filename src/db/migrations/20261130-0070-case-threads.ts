// A case's supplier thread and internal notes (the reporter thread lives with the report): messages
// and their files, both append-only. A supplier-thread message records the supplier assigned when it
// was written, so a supplier assigned later never reads what was said to another one.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table case_messages (
      id uuid primary key default gen_random_uuid(),
      seq bigserial not null,
      case_id uuid not null references cases (id),
      thread text not null check (thread in ('supplier', 'internal')),
      supplier_id uuid references suppliers (id),
      author_kind text not null check (author_kind in ('staff', 'supplier')),
      author_user_id uuid not null references users (id),
      author_label text not null,
      body text not null,
      created_at timestamptz not null,
      check ((thread = 'supplier') = (supplier_id is not null)),
      check (thread = 'supplier' or author_kind = 'staff')
    );
    create index case_messages_thread on case_messages (case_id, thread, created_at, seq);

    create table case_message_files (
      id uuid primary key default gen_random_uuid(),
      message_id uuid not null references case_messages (id),
      case_id uuid not null references cases (id),
      thread text not null check (thread in ('supplier', 'internal')),
      purpose text not null check (purpose in ('attachment', 'fix-material')),
      file_name text not null,
      declared_type text not null,
      size bigint not null,
      sha256 text not null references blobs (sha256),
      created_at timestamptz not null,
      check (thread = 'supplier' or purpose = 'attachment')
    );
    create index case_message_files_message on case_message_files (message_id);

    create function case_thread_rows_are_append_only() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only', tg_table_name;
    end;
    $$;
    create trigger case_messages_append_only before update or delete on case_messages
      for each row execute function case_thread_rows_are_append_only();
    create trigger case_message_files_append_only before update or delete on case_message_files
      for each row execute function case_thread_rows_are_append_only();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table case_message_files; drop table case_messages;
    drop function case_thread_rows_are_append_only();
  `.execute(db);
}
