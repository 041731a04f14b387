// Device identities (serial, model, hardware revision, one credential), what they report about
// downloads and installs, the HMAC keys of device session tokens, and room for the director's online
// signing key in tuf_online_keys.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table devices (
      id uuid primary key default gen_random_uuid(),
      serial text not null unique,
      model_id uuid not null references models (id),
      hardware_revision text not null,
      credential_kind text not null check (credential_kind in ('ed25519', 'secret')),
      -- ed25519: the raw public key as 64 hex; secret: the SHA-256 of the secret as 64 hex.
      credential text not null check (credential ~ '^[0-9a-f]{64}$'),
      installed_version text,
      tags text[] not null default '{}',
      -- An IANA time zone, for maintenance windows in the device's local time.
      region text,
      last_seen_at timestamptz,
      created_by text not null,
      created_at timestamptz not null default now()
    );
    create index devices_model on devices (model_id);
    create index devices_installed_version on devices (model_id, installed_version);
    create index devices_tags on devices using gin (tags);

    create table device_reports (
      id bigint generated always as identity primary key,
      device_id uuid not null references devices (id),
      kind text not null check (kind in ('download-started', 'download-finished', 'download-failed',
        'install-succeeded', 'install-failed', 'running')),
      release_id uuid,
      version text,
      error_code text,
      -- When the device says it happened; received_at is when the server stored it.
      at timestamptz not null,
      received_at timestamptz not null default now()
    );
    create index device_reports_release on device_reports (release_id, kind) where release_id is not null;
    create index device_reports_device on device_reports (device_id, at);

    create table device_session_keys (
      key_id text primary key,
      -- The HMAC key, as an OpenPGP message encrypted to the server's own key.
      secret_encrypted text not null,
      created_at timestamptz not null default now()
    );

    alter table tuf_online_keys drop constraint tuf_online_keys_role_check;
    alter table tuf_online_keys add constraint tuf_online_keys_role_check
      check (role in ('targets', 'snapshot', 'timestamp', 'director'));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    delete from tuf_online_keys where role = 'director';
    alter table tuf_online_keys drop constraint tuf_online_keys_role_check;
    alter table tuf_online_keys add constraint tuf_online_keys_role_check
      check (role in ('targets', 'snapshot', 'timestamp'));
    drop table device_session_keys; drop table device_reports; drop table devices;
  `.execute(db);
}
