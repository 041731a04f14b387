// Staged rollouts of a release: the rollout with its selector and stages, its append-only events,
// and the first offer of its release to each device (for the "offered" statistic).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rollouts (
      id uuid primary key default gen_random_uuid(),
      release_id uuid not null references releases (id),
      -- {hardwareRevisions, installedVersions, tags, regions}
      selector jsonb not null,
      -- [{percent, minMinutes, minReports}]
      stages jsonb not null,
      failure_threshold double precision not null check (failure_threshold >= 0 and failure_threshold <= 100),
      min_reports_before_halt integer not null check (min_reports_before_halt >= 1),
      mode text not null check (mode in ('soft', 'forced', 'download-only')),
      -- {start: 'HH:MM', end: 'HH:MM'} in the device's local time, or null for any time
      maintenance_window jsonb,
      state text not null default 'draft'
        check (state in ('draft', 'running', 'paused', 'halted', 'completed', 'aborted')),
      current_stage integer not null default 0,
      stage_started_at timestamptz,
      created_by text not null,
      created_by_label text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index rollouts_running on rollouts (state) where state = 'running';
    create index rollouts_release on rollouts (release_id);

    create table rollout_events (
      id bigint generated always as identity primary key,
      rollout_id uuid not null references rollouts (id),
      at timestamptz not null,
      actor text not null,
      actor_label text not null,
      action text not null,
      from_state text,
      to_state text not null,
      stage integer not null,
      reason text,
      detail jsonb not null default '{}'
    );
    create index rollout_events_rollout on rollout_events (rollout_id, id);

    create table rollout_offers (
      rollout_id uuid not null references rollouts (id),
      device_id uuid not null references devices (id),
      stage integer not null,
      offered_at timestamptz not null,
      primary key (rollout_id, device_id)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table rollout_offers; drop table rollout_events; drop table rollouts;`.execute(db);
}
