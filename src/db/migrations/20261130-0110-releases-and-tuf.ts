// Releases (a firmware artifact released for a model's hardware revisions, over a range of installed
// versions, fixing cases) and the TUF image repository: every signed metadata file, kept as the
// exact bytes that were signed, and the online signing keys (private halves encrypted to the server's
// OpenPGP key).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table releases (
      id uuid primary key default gen_random_uuid(),
      model_id uuid not null references models (id),
      artifact_id uuid not null references firmware_artifacts (id),
      firmware_version_id uuid references firmware_versions (id),
      version text not null,
      hardware_revisions text[] not null check (cardinality(hardware_revisions) > 0),
      notes text not null default '',
      install_over text not null,
      release_counter integer not null check (release_counter > 0),
      target_path text not null unique,
      state text not null default 'awaiting-signature'
        check (state in ('awaiting-signature', 'signed', 'withdrawn')),
      signed_in_targets_version integer,
      withdrawn_at timestamptz,
      created_by text not null,
      created_by_label text not null,
      created_at timestamptz not null default now(),
      unique (model_id, release_counter)
    );
    create index releases_state on releases (state);

    create table release_cases (
      release_id uuid not null references releases (id) on delete cascade,
      case_id uuid not null references cases (id),
      primary key (release_id, case_id)
    );
    create index release_cases_case on release_cases (case_id);

    create table tuf_metadata (
      role text not null check (role in ('root', 'targets', 'snapshot', 'timestamp')),
      version integer not null check (version > 0),
      -- The exact bytes that were signed and are served; never re-serialised.
      body text not null,
      expires_at timestamptz not null,
      created_at timestamptz not null default now(),
      primary key (role, version)
    );

    create table tuf_online_keys (
      role text primary key check (role in ('targets', 'snapshot', 'timestamp')),
      key_id text not null,
      public_hex text not null check (public_hex ~ '^[0-9a-f]{64}$'),
      -- The private key, as an OpenPGP message encrypted to the server's own key.
      private_encrypted text not null,
      created_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table tuf_online_keys; drop table tuf_metadata; drop table release_cases; drop table releases`.execute(
    db,
  );
}
