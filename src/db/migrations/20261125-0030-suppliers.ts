// Suppliers: users bound to a supplier get their foreign key; the contract-safeguards checklist per
// supplier (current state per item), every evidence file ever attached, and the append-only history
// of every change (who, when, from → to). Suppliers with a history are never deleted.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users add constraint users_supplier_fk foreign key (supplier_id) references suppliers (id);
    create index users_supplier on users (supplier_id) where supplier_id is not null;

    create table supplier_safeguards (
      supplier_id uuid not null references suppliers (id),
      item_key text not null,
      status text not null
        check (status in ('missing', 'requested', 'agreed', 'verified', 'not-applicable')),
      terms_days integer check (terms_days between 0 and 3650),
      status_date date,
      evidence_url text,
      evidence_sha256 text references blobs (sha256),
      evidence_file_name text,
      note text not null default '',
      updated_by text not null,
      updated_by_label text not null,
      updated_at timestamptz not null,
      primary key (supplier_id, item_key),
      check ((evidence_sha256 is null) = (evidence_file_name is null))
    );

    create table supplier_evidence_files (
      id uuid primary key default gen_random_uuid(),
      supplier_id uuid not null references suppliers (id),
      item_key text not null,
      sha256 text not null references blobs (sha256),
      file_name text not null,
      declared_type text not null,
      size bigint not null,
      uploaded_by text not null,
      uploaded_by_label text not null,
      uploaded_at timestamptz not null,
      unique (supplier_id, item_key, sha256)
    );

    create table supplier_safeguard_events (
      id bigserial primary key,
      supplier_id uuid not null references suppliers (id),
      item_key text not null,
      kind text not null check (kind in ('changed', 'evidence-uploaded')),
      -- { field: { from, to } } for every field the change touched.
      changes jsonb not null,
      actor text not null,
      actor_label text not null,
      at timestamptz not null
    );
    create index supplier_safeguard_events_item on supplier_safeguard_events (supplier_id, item_key, id);

    create function supplier_safeguard_events_are_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'supplier_safeguard_events is append-only';
    end;
    $$;
    create trigger supplier_safeguard_events_append_only before update or delete on supplier_safeguard_events
      for each row execute function supplier_safeguard_events_are_append_only();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table supplier_safeguard_events; drop function supplier_safeguard_events_are_append_only();
    drop table supplier_evidence_files; drop table supplier_safeguards;
    drop index users_supplier;
    alter table users drop constraint users_supplier_fk;
  `.execute(db);
}
