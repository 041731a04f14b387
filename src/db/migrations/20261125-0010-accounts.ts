// Accounts: users with roles, browser sessions, API tokens, sign-in attempts for throttling, and the
// append-only audit log. users.supplier_id gets its foreign key in the suppliers migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table users (
      id uuid primary key default gen_random_uuid(),
      email text not null,
      name text not null,
      role text not null check (role in ('admin', 'analyst', 'supplier', 'auditor')),
      supplier_id uuid,
      password_hash text not null,
      disabled_at timestamptz,
      password_changed_at timestamptz not null default now(),
      created_at timestamptz not null default now(),
      check (role <> 'supplier' or supplier_id is not null)
    );
    create unique index users_email on users (lower(email));

    create table sessions (
      id uuid primary key default gen_random_uuid(),
      token_hash text not null unique,
      user_id uuid not null references users (id),
      csrf_token text not null,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz,
      ip text,
      user_agent text
    );
    create index sessions_user on sessions (user_id) where revoked_at is null;

    create table api_tokens (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      user_id uuid not null references users (id),
      role text not null check (role in ('admin', 'analyst', 'supplier', 'auditor')),
      token_hash text not null unique,
      prefix text not null,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz,
      expires_at timestamptz
    );
    create index api_tokens_user on api_tokens (user_id);

    create table login_attempts (
      id bigserial primary key,
      at timestamptz not null,
      email text not null,
      ip text not null,
      succeeded boolean not null
    );
    create index login_attempts_email on login_attempts (email, at);
    create index login_attempts_ip on login_attempts (ip, at);

    create table audit_log (
      id bigserial primary key,
      at timestamptz not null default now(),
      actor text not null,
      actor_label text not null,
      action text not null check (action ~ '^[A-Z][A-Z0-9_]*$'),
      subject_type text,
      subject_id text,
      detail jsonb not null default '{}',
      ip text
    );
    create index audit_log_subject on audit_log (subject_type, subject_id, id);

    create function audit_log_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only';
    end;
    $$;
    create trigger audit_log_append_only before update or delete on audit_log
      for each row execute function audit_log_is_append_only();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table audit_log; drop function audit_log_is_append_only(); drop table login_attempts;
    drop table api_tokens; drop table sessions; drop table users;
  `.execute(db);
}
