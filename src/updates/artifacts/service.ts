// Firmware artifacts: uploading a model's firmware file (staff, or the supplier that builds the
// model), listing a model's files and reading one. The bytes go to the artifact storage first,
// flushed to disk, and only then is the artifact recorded, so a recorded artifact always has its file.
import type { Readable } from 'node:stream';
import { type Principal, requireRole, supplierScope } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { findModel } from '../../inventory/store.ts';
import { actorId, appendAudit } from '../../platform/audit.ts';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.ts';
import * as store from './store.ts';

/** File names become part of TUF target paths and download names: plain characters only. */
export const artifactFileNamePattern = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$/;

async function visibleModel(deps: Deps, principal: Principal, modelId: string) {
  const model = await findModel(deps.db, modelId, supplierScope(principal));
  if (!model) throw new NotFound('No such model');
  return model;
}

export async function uploadArtifact(
  deps: Deps,
  principal: Principal,
  input: { modelId: string; fileName: string; body: Readable },
): Promise<{ row: store.ArtifactRow; created: boolean }> {
  requireRole(principal, 'admin', 'analyst', 'supplier');
  if (!artifactFileNamePattern.test(input.fileName)) {
    throw new Invalid({
      fileName:
        'must be 1 to 200 letters, digits, dots, dashes, underscores or plus signs, starting with a letter or digit',
    });
  }
  await visibleModel(deps, principal, input.modelId);
  if (
    principal.role === 'supplier' &&
    !(await store.supplierBuildsModel(deps.db, principal.supplierId ?? '', input.modelId))
  ) {
    throw new Forbidden('Only the supplier that builds this model may upload its firmware.');
  }
  const received = await deps.artifacts.receive(input.body, deps.config.artifactMaxBytes);
  try {
    await deps.artifacts.commit(received);
  } catch (error) {
    await deps.artifacts.discard(received);
    throw error;
  }
  return deps.db.transaction().execute(async (trx) => {
    const result = await store.insertArtifact(trx, {
      modelId: input.modelId,
      sha256: received.sha256,
      sha512: received.sha512,
      size: received.size,
      fileName: input.fileName,
      uploadedBy: actorId(principal),
      uploadedByLabel: principal.via === 'token' ? `${principal.email} (API token)` : principal.email,
    });
    if (result.created) {
      await appendAudit(trx, {
        actor: principal,
        action: 'FIRMWARE_ARTIFACT_UPLOADED',
        subjectType: 'firmware_artifact',
        subjectId: result.row.id,
        detail: {
          modelId: input.modelId,
          fileName: input.fileName,
          sha256: received.sha256,
          size: received.size,
        },
        at: deps.clock(),
      });
    }
    return result;
  });
}

export async function listArtifacts(deps: Deps, principal: Principal, modelId: string) {
  await visibleModel(deps, principal, modelId);
  return store.listArtifacts(deps.db, modelId);
}

export async function getArtifact(deps: Deps, principal: Principal, artifactId: string) {
  const row = await store.findArtifact(deps.db, artifactId, supplierScope(principal));
  if (!row) throw new NotFound('No such firmware artifact');
  return row;
}
