// Targets metadata: every release that is not withdrawn, with its file's length, hashes and the
// custom fields a device checks (model, hardware revisions, version, release counter, install range).
// Signed with the offline targets key at a ceremony, or with the online one under TUF_ONLINE_TARGETS.

import { TargetFile, Targets } from '@tufjs/models';
import { type AuditActor, appendAudit } from '../../platform/audit.ts';
import { Invalid } from '../../platform/errors.ts';
import { markReleasesSigned, type ReleaseRow, releasesToSign } from '../releases/store.ts';
import type { TufSigner } from './ed25519-keys.ts';
import { expiresAfter, expiryString, parseRoot, signedBytes } from './metadata-files.ts';
import { insertMetadata, latestMetadata } from './metadata-store.ts';
import type { TufDeps } from './online-keys.ts';
import { refreshOnlineRoles } from './online-roles.ts';

export type TargetCustom = {
  modelId: string;
  modelSlug: string;
  hardwareRevisions: string[];
  version: string;
  releaseCounter: number;
  installOver: string;
};

export function targetFileOf(release: ReleaseRow): TargetFile {
  const custom: TargetCustom = {
    modelId: release.model_id,
    modelSlug: release.model_slug,
    hardwareRevisions: release.hardware_revisions,
    version: release.version,
    releaseCounter: release.release_counter,
    installOver: release.install_over,
  };
  return new TargetFile({
    path: release.target_path,
    length: release.artifact_size,
    // SHA-256 first: tuf-js names a consistent-snapshot target file by the first hash.
    hashes: { sha256: release.artifact_sha256, sha512: release.artifact_sha512 },
    unrecognizedFields: { custom },
  });
}

/** Checks that the signers are enough keys of the current root's targets role; throws Invalid if not. */
export async function checkTargetsSigners(deps: TufDeps, signers: TufSigner[]): Promise<void> {
  const root = await latestMetadata(deps.db, 'root');
  if (!root) throw new Invalid({ key: 'there is no root metadata yet: run "openpsirt tuf init-root" first' });
  const role = parseRoot(root.body).signed.roles.targets;
  if (!role) throw new Error('the root names no targets role');
  const strangers = signers.filter((signer) => !role.keyIDs.includes(signer.keyId));
  if (strangers.length > 0) {
    throw new Invalid({
      key: `key ${strangers.map((s) => s.keyId.slice(0, 16)).join(', ')} is not a targets key of root version ${root.version}`,
    });
  }
  const distinct = new Set(signers.map((signer) => signer.keyId)).size;
  if (distinct < role.threshold) {
    throw new Invalid({ key: `the targets role needs ${role.threshold} keys; ${distinct} given` });
  }
}

export const TUF_TARGETS_SIGNED = 'TUF_TARGETS_SIGNED';

/**
 * Signs the next targets metadata from every release that is not withdrawn, stores it, marks those
 * releases signed, then signs snapshot and timestamp. Returns the new targets version.
 */
export async function signTargets(
  deps: TufDeps,
  signers: TufSigner[],
  actor: AuditActor = 'cli',
): Promise<{
  version: number;
  targets: number;
  snapshotVersion: number | null;
  timestampVersion: number | null;
}> {
  await checkTargetsSigners(deps, signers);
  const releases = await releasesToSign(deps.db);
  const previous = await latestMetadata(deps.db, 'targets');
  const version = (previous?.version ?? 0) + 1;
  const expiresAt = expiresAfter(deps.clock(), 'targets');
  const targets = new Targets({ version, specVersion: '1.0.31', expires: expiryString(expiresAt) });
  for (const release of releases) targets.addTarget(targetFileOf(release));
  const body = signedBytes(targets, signers);
  await deps.db.transaction().execute(async (trx) => {
    if (!(await insertMetadata(trx, { role: 'targets', version, body, expiresAt }))) {
      throw new Invalid({
        key: `targets version ${version} was signed at the same time by someone else; run again`,
      });
    }
    await markReleasesSigned(
      trx,
      releases.map((release) => release.id),
      version,
    );
    await appendAudit(trx, {
      actor,
      action: TUF_TARGETS_SIGNED,
      subjectType: 'tuf_targets',
      subjectId: String(version),
      detail: {
        targetsVersion: version,
        expiresAt: expiresAt.toISOString(),
        releaseIds: releases.map((release) => release.id),
        signedBy: [...new Set(signers.map((signer) => signer.keyId))],
      },
      at: deps.clock(),
    });
  });
  const online = await refreshOnlineRoles(deps);
  return { version, targets: releases.length, ...online };
}
