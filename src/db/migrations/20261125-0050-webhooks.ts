// Webhooks: the endpoints an admin registered (URL, the event types they want, the signing secret)
// and one delivery per endpoint × event, whose state the delivery job keeps up to date.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table webhook_endpoints (
      id uuid primary key default gen_random_uuid(),
      url text not null,
      description text not null default '',
      -- Event types such as 'case.created', or '*' for every event.
      event_types text[] not null check (cardinality(event_types) > 0),
      -- Kept in clear: signing needs the secret itself, a hash would not do (see docs/webhooks.md).
      secret text not null,
      active boolean not null default true,
      created_by text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      disabled_at timestamptz,
      check (active = (disabled_at is null))
    );

    create table webhook_deliveries (
      id uuid primary key default gen_random_uuid(),
      endpoint_id uuid not null references webhook_endpoints (id),
      event_id text not null,
      event_type text not null,
      payload jsonb not null,
      state text not null default 'pending'
        check (state in ('pending', 'delivered', 'failed', 'cancelled')),
      attempts integer not null default 0,
      last_status_code integer,
      last_error text,
      last_response_excerpt text,
      created_at timestamptz not null,
      last_attempt_at timestamptz,
      delivered_at timestamptz,
      unique (endpoint_id, event_id)
    );
    create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, created_at desc, id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table webhook_deliveries; drop table webhook_endpoints;`.execute(db);
}
