// Releases: a model's firmware artifact released for some of its hardware revisions, installable over
// a range of versions, fixing cases. Each gets the model's next release counter (which devices use to
// refuse a rollback) and a TUF target path; it waits for the targets signing ceremony to be served.
import { type Principal, requireRole, supplierScope } from '../../auth/access.ts';
import { recordCaseChanges } from '../../cases/case-events.ts';
import type { Deps } from '../../deps.ts';
import { FieldProblems, limits, textProblem, versionProblem } from '../../inventory/inventory-input.ts';
import * as inventory from '../../inventory/store.ts';
import { versionSortKey } from '../../inventory/versions/version-order.ts';
import { parseVersionRange } from '../../inventory/versions/version-range.ts';
import { actorId, appendAudit } from '../../platform/audit.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { findArtifact } from '../artifacts/store.ts';
import { queueOnlineTargetsSigning } from '../tuf/jobs.ts';
import * as store from './store.ts';

export type ReleaseInput = {
  artifactId: string;
  version: string;
  hardwareRevisions: string[];
  notes?: string | undefined;
  installOver: string;
  fixesCases?: string[] | undefined;
};

async function visibleModel(deps: Deps, principal: Principal, modelId: string) {
  const model = await inventory.findModel(deps.db, modelId, supplierScope(principal));
  if (!model) throw new NotFound('No such model');
  return model;
}

/** `<product>/<model>/<release counter>/<file name>`: unique, and readable in a CDN listing. */
export const releaseTargetPath = (
  productSlug: string,
  modelSlug: string,
  counter: number,
  fileName: string,
) => `${productSlug}/${modelSlug}/${counter}/${fileName}`;

function checkInput(input: ReleaseInput, modelRevisions: string[]): string {
  const problems = new FieldProblems();
  problems.check('version', versionProblem(input.version));
  problems.check('notes', input.notes === undefined ? undefined : textProblem(input.notes, limits.notes));
  if (input.hardwareRevisions.length === 0) {
    problems.check('hardwareRevisions', 'must name at least one hardware revision of the model');
  } else {
    const unknown = input.hardwareRevisions.filter((revision) => !modelRevisions.includes(revision));
    if (unknown.length > 0) {
      problems.check(
        'hardwareRevisions',
        `${unknown.map((r) => `"${r}"`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a hardware revision of this model (it has ${modelRevisions.length === 0 ? 'none' : modelRevisions.map((r) => `"${r}"`).join(', ')})`,
      );
    }
  }
  let installOver = input.installOver.trim();
  try {
    parseVersionRange(installOver);
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    problems.check('installOver', error.fields.range ?? error.message);
    installOver = '';
  }
  if (!problems.empty) throw new Invalid(problems.fields);
  return installOver;
}

export async function createRelease(
  deps: Deps,
  principal: Principal,
  modelId: string,
  input: ReleaseInput,
): Promise<store.ReleaseRow> {
  requireRole(principal, 'admin', 'analyst');
  const model = await visibleModel(deps, principal, modelId);
  const installOver = checkInput(input, model.hardware_revisions);
  const artifact = await findArtifact(deps.db, input.artifactId, null);
  if (!artifact || artifact.model_id !== modelId) {
    throw new Invalid({ artifactId: 'is not a firmware artifact uploaded for this model' });
  }
  const fixesCases = [...new Set(input.fixesCases ?? [])];
  const known = await store.existingCaseIds(deps.db, fixesCases);
  const unknownCases = fixesCases.filter((id) => !known.has(id));
  if (unknownCases.length > 0) throw new Invalid({ fixesCases: `no such case: ${unknownCases.join(', ')}` });
  const hardwareRevisions = [...new Set(input.hardwareRevisions)];

  const id = await deps.db.transaction().execute(async (trx) => {
    const counter = await store.nextReleaseCounter(trx, modelId);
    const targetPath = releaseTargetPath(model.product_slug, model.slug, counter, artifact.file_name);
    const firmwareVersionId =
      (await inventory.findFirmwareIdByVersion(trx, modelId, input.version)) ??
      (await inventory.insertFirmware(trx, modelId, {
        version: input.version,
        versionKey: versionSortKey(input.version),
        releaseDate: null,
        notes: '',
      }));
    const id = await store.insertRelease(trx, {
      modelId,
      artifactId: artifact.id,
      firmwareVersionId,
      version: input.version,
      hardwareRevisions,
      notes: input.notes ?? '',
      installOver,
      releaseCounter: counter,
      targetPath,
      createdBy: actorId(principal),
      createdByLabel: principal.via === 'token' ? `${principal.email} (API token)` : principal.email,
      fixesCases,
    });
    await appendAudit(trx, {
      actor: principal,
      action: 'RELEASE_CREATED',
      subjectType: 'release',
      subjectId: id,
      detail: {
        modelId,
        artifactId: artifact.id,
        sha256: artifact.sha256,
        version: input.version,
        hardwareRevisions,
        installOver,
        releaseCounter: counter,
        targetPath,
        fixesCases,
      },
      at: deps.clock(),
    });
    for (const caseId of fixesCases) {
      await recordCaseChanges(trx, principal, caseId, deps.clock(), [
        {
          kind: 'RELEASE_CREATED',
          to: { releaseId: id, modelId, version: input.version, releaseCounter: counter },
        },
      ]);
    }
    if (deps.config.tufOnlineTargets) await queueOnlineTargetsSigning(trx, deps.clock());
    return id;
  });
  if (deps.config.tufOnlineTargets) deps.wakeWorkers();
  return getRelease(deps, principal, id);
}

export async function listReleases(deps: Deps, principal: Principal, modelId: string) {
  await visibleModel(deps, principal, modelId);
  return store.listReleases(deps.db, modelId);
}

export async function getRelease(deps: Deps, principal: Principal, id: string): Promise<store.ReleaseRow> {
  const row = await store.findRelease(deps.db, id, supplierScope(principal));
  if (!row) throw new NotFound('No such release');
  return row;
}

/**
 * Withdraws a release: its file stops being served at once, and the next targets metadata leaves it
 * out (signed at the next ceremony, or at once with TUF_ONLINE_TARGETS).
 */
export async function withdrawRelease(
  deps: Deps,
  principal: Principal,
  id: string,
  reason: string,
): Promise<store.ReleaseRow> {
  requireRole(principal, 'admin');
  await deps.db.transaction().execute(async (trx) => {
    const before = await store.findRelease(trx, id, null);
    if (!before) throw new NotFound('No such release');
    if (before.state === 'withdrawn') throw new Conflict('This release is withdrawn already');
    await store.withdrawRelease(trx, id, deps.clock());
    await appendAudit(trx, {
      actor: principal,
      action: 'RELEASE_WITHDRAWN',
      subjectType: 'release',
      subjectId: id,
      detail: {
        modelId: before.model_id,
        targetPath: before.target_path,
        previousState: before.state,
        reason,
      },
      at: deps.clock(),
    });
    for (const caseId of before.fixes_cases) {
      await recordCaseChanges(trx, principal, caseId, deps.clock(), [
        { kind: 'RELEASE_WITHDRAWN', from: { releaseId: id, version: before.version }, reason },
      ]);
    }
    if (deps.config.tufOnlineTargets) await queueOnlineTargetsSigning(trx, deps.clock());
  });
  if (deps.config.tufOnlineTargets) deps.wakeWorkers();
  return getRelease(deps, principal, id);
}
