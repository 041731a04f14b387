// Every query on releases and the cases they fix.
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { modelInScope, type SupplierScope } from '../../inventory/store.ts';

export type ReleaseState = 'awaiting-signature' | 'signed' | 'withdrawn';

export type ReleaseRow = {
  id: string;
  model_id: string;
  model_slug: string;
  artifact_id: string;
  artifact_file_name: string;
  artifact_sha256: string;
  artifact_sha512: string;
  artifact_size: number;
  version: string;
  hardware_revisions: string[];
  notes: string;
  install_over: string;
  release_counter: number;
  target_path: string;
  state: ReleaseState;
  signed_in_targets_version: number | null;
  withdrawn_at: Date | null;
  created_by_label: string;
  created_at: Date;
  fixes_cases: string[];
};

function releasesQuery(db: Db) {
  return db
    .selectFrom('releases as r')
    .innerJoin('models as m', 'm.id', 'r.model_id')
    .innerJoin('firmware_artifacts as a', 'a.id', 'r.artifact_id')
    .select((eb) => [
      'r.id',
      'r.model_id',
      'm.slug as model_slug',
      'r.artifact_id',
      'a.file_name as artifact_file_name',
      'a.sha256 as artifact_sha256',
      'a.sha512 as artifact_sha512',
      'a.size as artifact_size',
      'r.version',
      'r.hardware_revisions',
      'r.notes',
      'r.install_over',
      'r.release_counter',
      'r.target_path',
      'r.state',
      'r.signed_in_targets_version',
      'r.withdrawn_at',
      'r.created_by_label',
      'r.created_at',
      eb
        .fn<string[]>('array', [
          eb
            .selectFrom('release_cases as rc')
            .select('rc.case_id')
            .whereRef('rc.release_id', '=', 'r.id')
            .orderBy('rc.case_id'),
        ])
        .as('fixes_cases'),
    ]);
}

const normalise = (row: ReleaseRow): ReleaseRow => ({ ...row, artifact_size: Number(row.artifact_size) });

export async function listReleases(db: Db, modelId: string): Promise<ReleaseRow[]> {
  const rows = await releasesQuery(db)
    .where('r.model_id', '=', modelId)
    .orderBy('r.release_counter', 'desc')
    .execute();
  return rows.map((row) => normalise(row as ReleaseRow));
}

/** The release, or undefined when it does not exist or its model lies outside the supplier scope. */
export async function findRelease(db: Db, id: string, scope: SupplierScope): Promise<ReleaseRow | undefined> {
  const row = await releasesQuery(db)
    .where('r.id', '=', id)
    .where(modelInScope('r.model_id', scope))
    .executeTakeFirst();
  return row && normalise(row as ReleaseRow);
}

/** Releases that belong in the next targets metadata: every one not withdrawn, oldest first. */
export async function releasesToSign(db: Db): Promise<ReleaseRow[]> {
  const rows = await releasesQuery(db)
    .where('r.state', '!=', 'withdrawn')
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
  return rows.map((row) => normalise(row as ReleaseRow));
}

/** A release whose file may be served as a TUF target: signed, not withdrawn, with these bytes. */
export async function findServableTarget(db: Db, targetPath: string, sha256: string) {
  return db
    .selectFrom('releases as r')
    .innerJoin('firmware_artifacts as a', 'a.id', 'r.artifact_id')
    .select(['a.sha256', 'a.size', 'r.target_path'])
    .where('r.target_path', '=', targetPath)
    .where('a.sha256', '=', sha256)
    .where('r.state', '=', 'signed')
    .executeTakeFirst();
}

/** Locks the model row so that release counters are handed out one at a time; returns the next one. */
export async function nextReleaseCounter(db: Db, modelId: string): Promise<number> {
  await db.selectFrom('models').select('id').where('id', '=', modelId).forUpdate().execute();
  const row = await db
    .selectFrom('releases')
    .select(sql<number>`coalesce(max(release_counter), 0) + 1`.as('next'))
    .where('model_id', '=', modelId)
    .executeTakeFirstOrThrow();
  return Number(row.next);
}

export async function insertRelease(
  db: Db,
  values: {
    modelId: string;
    artifactId: string;
    firmwareVersionId: string;
    version: string;
    hardwareRevisions: string[];
    notes: string;
    installOver: string;
    releaseCounter: number;
    targetPath: string;
    createdBy: string;
    createdByLabel: string;
    fixesCases: string[];
  },
): Promise<string> {
  const { id } = await db
    .insertInto('releases')
    .values({
      model_id: values.modelId,
      artifact_id: values.artifactId,
      firmware_version_id: values.firmwareVersionId,
      version: values.version,
      hardware_revisions: values.hardwareRevisions,
      notes: values.notes,
      install_over: values.installOver,
      release_counter: values.releaseCounter,
      target_path: values.targetPath,
      created_by: values.createdBy,
      created_by_label: values.createdByLabel,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (values.fixesCases.length > 0) {
    await db
      .insertInto('release_cases')
      .values(values.fixesCases.map((caseId) => ({ release_id: id, case_id: caseId })))
      .execute();
  }
  return id;
}

export async function existingCaseIds(db: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('cases').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((row) => row.id));
}

export async function withdrawRelease(db: Db, id: string, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('releases')
    .set({ state: 'withdrawn', withdrawn_at: at })
    .where('id', '=', id)
    .where('state', '!=', 'withdrawn')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** After a targets version is signed: the releases it names are signed in that version. */
export async function markReleasesSigned(db: Db, ids: string[], targetsVersion: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('releases')
    .set({ state: 'signed', signed_in_targets_version: targetsVersion })
    .where('id', 'in', ids)
    .where('state', '=', 'awaiting-signature')
    .execute();
}
