// Firmware files as uploaded for a model: content-addressed by SHA-256 (the bytes live in the
// artifact storage, not the database), with SHA-512 for the TUF targets metadata. The same bytes
// uploaded again for the same model are one artifact.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table firmware_artifacts (
      id uuid primary key default gen_random_uuid(),
      model_id uuid not null references models (id),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      sha512 text not null check (sha512 ~ '^[0-9a-f]{128}$'),
      size bigint not null check (size >= 0),
      file_name text not null,
      uploaded_by text not null,
      uploaded_by_label text not null,
      created_at timestamptz not null default now(),
      unique (model_id, sha256)
    );
    create index firmware_artifacts_sha256 on firmware_artifacts (sha256);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table firmware_artifacts`.execute(db);
}
