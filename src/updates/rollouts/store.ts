// Every query on rollouts, their events, their offers and the device reports that make their statistics.
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { RolloutState } from '../../db/schema.ts';
import { modelInScope, type SupplierScope } from '../../inventory/store.ts';
import type { InstallMode } from '../director/instruction.ts';
import type { MaintenanceWindow, RolloutSelector, RolloutSpec, RolloutStage } from './rollout-spec.ts';

export type Rollout = {
  id: string;
  releaseId: string;
  modelId: string;
  releaseVersion: string;
  releaseState: string;
  selector: RolloutSelector;
  stages: RolloutStage[];
  failureThreshold: number;
  minReportsBeforeHalt: number;
  mode: InstallMode;
  maintenanceWindow: MaintenanceWindow | null;
  state: RolloutState;
  currentStage: number;
  stageStartedAt: Date | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
};

export type RolloutEvent = {
  id: string;
  at: Date;
  actor: string;
  actorLabel: string;
  action: string;
  fromState: string | null;
  toState: string;
  stage: number;
  reason: string | null;
  detail: Record<string, unknown>;
};

const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

function rolloutsQuery(db: Db) {
  return db
    .selectFrom('rollouts as o')
    .innerJoin('releases as r', 'r.id', 'o.release_id')
    .select([
      'o.id',
      'o.release_id',
      'r.model_id',
      'r.version as release_version',
      'r.state as release_state',
      'o.selector',
      'o.stages',
      'o.failure_threshold',
      'o.min_reports_before_halt',
      'o.mode',
      'o.maintenance_window',
      'o.state',
      'o.current_stage',
      'o.stage_started_at',
      'o.created_by_label',
      'o.created_at',
      'o.updated_at',
    ]);
}

type RolloutRow = Awaited<ReturnType<ReturnType<typeof rolloutsQuery>['executeTakeFirstOrThrow']>>;

const toRollout = (row: RolloutRow): Rollout => ({
  id: row.id,
  releaseId: row.release_id,
  modelId: row.model_id,
  releaseVersion: row.release_version,
  releaseState: row.release_state,
  selector: json(row.selector),
  stages: json(row.stages),
  failureThreshold: Number(row.failure_threshold),
  minReportsBeforeHalt: row.min_reports_before_halt,
  mode: row.mode,
  maintenanceWindow: row.maintenance_window === null ? null : json(row.maintenance_window),
  state: row.state,
  currentStage: row.current_stage,
  stageStartedAt: row.stage_started_at,
  createdBy: row.created_by_label,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export async function insertRollout(
  db: Db,
  spec: RolloutSpec,
  by: { id: string; label: string },
  now: Date,
): Promise<string> {
  const { id } = await db
    .insertInto('rollouts')
    .values({
      release_id: spec.releaseId,
      selector: JSON.stringify(spec.selector),
      stages: JSON.stringify(spec.stages),
      failure_threshold: spec.failureThreshold,
      min_reports_before_halt: spec.minReportsBeforeHalt,
      mode: spec.mode,
      maintenance_window: spec.maintenanceWindow ? JSON.stringify(spec.maintenanceWindow) : null,
      created_by: by.id,
      created_by_label: by.label,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** The rollout, or undefined when it does not exist or its model lies outside the supplier scope. */
export async function findRollout(db: Db, id: string, scope: SupplierScope): Promise<Rollout | undefined> {
  const row = await rolloutsQuery(db)
    .where('o.id', '=', id)
    .where(modelInScope('r.model_id', scope))
    .executeTakeFirst();
  return row && toRollout(row);
}

/** Locks the rollout row for a state change in the caller's transaction. */
export async function lockRollout(db: Db, id: string): Promise<Rollout | undefined> {
  await db.selectFrom('rollouts').select('id').where('id', '=', id).forUpdate().execute();
  return findRollout(db, id, null);
}

export async function listRollouts(
  db: Db,
  scope: SupplierScope,
  filter: { state?: RolloutState | undefined; releaseId?: string | undefined },
): Promise<Rollout[]> {
  let query = rolloutsQuery(db).where(modelInScope('r.model_id', scope));
  if (filter.state) query = query.where('o.state', '=', filter.state);
  if (filter.releaseId) query = query.where('o.release_id', '=', filter.releaseId);
  const rows = await query.orderBy('o.created_at', 'desc').orderBy('o.id').limit(500).execute();
  return rows.map(toRollout);
}

/**
 * Rollouts whose release is still signed and that are running, or completed: a completed rollout
 * goes on offering its release (its last stage reaches every selected device) to devices that were
 * offline while it ran or whose install failed, until someone aborts it. What check-ins may offer.
 */
export async function runningRollouts(db: Db) {
  const rows = await rolloutsQuery(db)
    .innerJoin('firmware_artifacts as a', 'a.id', 'r.artifact_id')
    .select([
      'r.hardware_revisions',
      'r.install_over',
      'r.target_path',
      'r.release_counter',
      'a.size as artifact_size',
      'a.sha256 as artifact_sha256',
    ])
    .where('o.state', 'in', ['running', 'completed'])
    .where('r.state', '=', 'signed')
    .execute();
  return rows.map((row) => ({
    ...toRollout(row),
    hardwareRevisions: row.hardware_revisions,
    installOver: row.install_over,
    targetPath: row.target_path,
    releaseCounter: row.release_counter,
    length: Number(row.artifact_size),
    sha256: row.artifact_sha256,
  }));
}

/** Rollouts the minute's check looks at: running ones, and completed ones that still offer. */
export async function runningRolloutIds(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('rollouts')
    .select('id')
    .where('state', 'in', ['running', 'completed'])
    .execute();
  return rows.map((row) => row.id);
}

export async function updateRolloutState(
  db: Db,
  id: string,
  change: { state: RolloutState; currentStage?: number; stageStartedAt?: Date | null },
  now: Date,
): Promise<void> {
  await db
    .updateTable('rollouts')
    .set({
      state: change.state,
      ...(change.currentStage === undefined ? {} : { current_stage: change.currentStage }),
      ...(change.stageStartedAt === undefined ? {} : { stage_started_at: change.stageStartedAt }),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

export async function insertRolloutEvent(
  db: Db,
  event: Omit<RolloutEvent, 'id'> & { rolloutId: string },
): Promise<void> {
  await db
    .insertInto('rollout_events')
    .values({
      rollout_id: event.rolloutId,
      at: event.at,
      actor: event.actor,
      actor_label: event.actorLabel,
      action: event.action,
      from_state: event.fromState,
      to_state: event.toState,
      stage: event.stage,
      reason: event.reason,
      detail: JSON.stringify(event.detail),
    })
    .execute();
}

export async function rolloutEvents(db: Db, rolloutId: string): Promise<RolloutEvent[]> {
  const rows = await db
    .selectFrom('rollout_events')
    .selectAll()
    .where('rollout_id', '=', rolloutId)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: String(row.id),
    at: row.at,
    actor: row.actor,
    actorLabel: row.actor_label,
    action: row.action,
    fromState: row.from_state,
    toState: row.to_state,
    stage: row.stage,
    reason: row.reason,
    detail: json(row.detail),
  }));
}

/** Records the first offer of a rollout to a device; later offers change nothing. */
export async function recordOffer(
  db: Db,
  offer: { rolloutId: string; deviceId: string; stage: number; at: Date },
): Promise<void> {
  await db
    .insertInto('rollout_offers')
    .values({
      rollout_id: offer.rolloutId,
      device_id: offer.deviceId,
      stage: offer.stage,
      offered_at: offer.at,
    })
    .onConflict((oc) => oc.columns(['rollout_id', 'device_id']).doNothing())
    .execute();
}

export type StageCounts = {
  stage: number;
  offered: number;
  downloading: number;
  downloaded: number;
  installed: number;
  failed: number;
};

/**
 * Per stage (the stage in which each device was first offered): devices offered, and of those the
 * devices that reported each kind of event for the rollout's release (each device counted once per kind);
 * with `reportsSince`, only reports received from then on.
 */
export async function stageCounts(
  db: Db,
  rolloutId: string,
  releaseId: string,
  reportsSince?: Date,
): Promise<StageCounts[]> {
  const rows = await db
    .selectFrom('rollout_offers as f')
    .leftJoin('device_reports as d', (join) => {
      const joined = join.onRef('d.device_id', '=', 'f.device_id').on('d.release_id', '=', releaseId);
      return reportsSince ? joined.on('d.received_at', '>=', reportsSince) : joined;
    })
    .select((eb) => [
      'f.stage',
      eb.fn.count<string>('f.device_id').distinct().as('offered'),
      countKind('download-started').as('downloading'),
      countKind('download-finished').as('downloaded'),
      countKind('install-succeeded').as('installed'),
      sql<string>`count(distinct case when d.kind in ('install-failed', 'download-failed') then d.device_id end)`.as(
        'failed',
      ),
    ])
    .where('f.rollout_id', '=', rolloutId)
    .groupBy('f.stage')
    .orderBy('f.stage')
    .execute();
  return rows.map((row) => ({
    stage: row.stage,
    offered: Number(row.offered),
    downloading: Number(row.downloading),
    downloaded: Number(row.downloaded),
    installed: Number(row.installed),
    failed: Number(row.failed),
  }));
}

const countKind = (kind: string) =>
  sql<string>`count(distinct case when d.kind = ${kind} then d.device_id end)`;

/** Registered devices of a model, for previews and pushes: only what a selector looks at. */
export async function devicesOfModel(db: Db, modelId: string) {
  const rows = await db
    .selectFrom('devices')
    .select(['id', 'model_id', 'hardware_revision', 'installed_version', 'tags', 'region'])
    .where('model_id', '=', modelId)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    modelId: row.model_id,
    hardwareRevision: row.hardware_revision,
    installedVersion: row.installed_version,
    tags: row.tags,
    region: row.region,
  }));
}
