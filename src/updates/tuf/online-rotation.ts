// Online key rotation: after a server compromise (or on a schedule) the snapshot and timestamp keys
// are replaced by new ones. A threshold of the offline root keys signs a new root naming them, and
// snapshot and timestamp are re-signed with them at once, with higher versions, in one transaction:
// no client ever sees the new root without metadata it can verify, and whatever the retired keys
// sign afterwards is refused by every client that has fetched the new root.
import { type AuditActor, appendAudit } from '../../platform/audit.ts';
import { Conflict } from '../../platform/errors.ts';
import { generateTufKeyPair, type TufSigner, tufSigner } from './ed25519-keys.ts';
import {
  insertMetadata,
  latestMetadata,
  type RetiredOnlineKey,
  replaceOnlineKey,
  type StoredMetadata,
} from './metadata-store.ts';
import { encryptOnlineKey, type TufDeps } from './online-keys.ts';
import { signSnapshot, signTimestamp } from './online-roles.ts';
import { currentRootSignedBy, signRoot, storeRoot } from './root.ts';

export const TUF_ONLINE_KEYS_ROTATED = 'TUF_ONLINE_KEYS_ROTATED';

export type OnlineRotation = {
  rootVersion: number;
  snapshotKeyId: string;
  timestampKeyId: string;
  retired: { snapshot?: RetiredOnlineKey; timestamp?: RetiredOnlineKey };
  /** null when there are no targets metadata yet (nothing to re-sign). */
  snapshotVersion: number | null;
  timestampVersion: number | null;
};

/**
 * Replaces the online snapshot and timestamp keys. `rootSigners` must hold a threshold of the current
 * root's keys; the root keys and the targets keys stay as they are.
 *
 * @example await rotateOnlineKeys(deps, { rootSigners: [tufSigner(rootKey.privateHex)] });
 */
export async function rotateOnlineKeys(
  deps: TufDeps,
  input: { rootSigners: TufSigner[]; actor?: AuditActor },
): Promise<OnlineRotation> {
  // Every check before anything is generated or stored: a refused rotation changes nothing.
  const current = await currentRootSignedBy(deps, input.rootSigners, 'rootKey');
  const rootSigners = input.rootSigners.filter((signer) =>
    current.keys.root.some((key) => key.keyId === signer.keyId),
  );
  const now = deps.clock();
  const snapshotKey = generateTufKeyPair();
  const timestampKey = generateTufKeyPair();
  const root = signRoot(
    current.version + 1,
    { ...current.keys, snapshot: snapshotKey, timestamp: timestampKey },
    rootSigners,
    now,
  );
  // Versions go on from the latest ones: tuf-js drops its trusted timestamp and snapshot when they
  // no longer verify under the new root, but a client following the spec's rollback checks (or one
  // that keeps them) must also see them move forward.
  const targets = await latestMetadata(deps.db, 'targets');
  let snapshot: StoredMetadata | undefined;
  let timestamp: StoredMetadata | undefined;
  if (targets) {
    const previousSnapshot = await latestMetadata(deps.db, 'snapshot');
    const previousTimestamp = await latestMetadata(deps.db, 'timestamp');
    snapshot = signSnapshot(
      targets,
      (previousSnapshot?.version ?? 0) + 1,
      now,
      tufSigner(snapshotKey.privateHex),
    );
    timestamp = signTimestamp(
      snapshot,
      (previousTimestamp?.version ?? 0) + 1,
      now,
      tufSigner(timestampKey.privateHex),
    );
  }
  const stored = {
    snapshot: await encryptOnlineKey(deps, 'snapshot', snapshotKey),
    timestamp: await encryptOnlineKey(deps, 'timestamp', timestampKey),
  };
  const retired = await deps.db.transaction().execute(async (trx) => {
    await storeRoot(trx, root);
    for (const file of [snapshot, timestamp]) {
      if (file && !(await insertMetadata(trx, file))) {
        throw new Conflict(
          `${file.role} version ${file.version} was signed at the same time by the server; run the rotation again`,
        );
      }
    }
    const retiredSnapshot = await replaceOnlineKey(trx, stored.snapshot, now);
    const retiredTimestamp = await replaceOnlineKey(trx, stored.timestamp, now);
    const described = (key: RetiredOnlineKey | undefined) =>
      key && { keyId: key.keyId, publicHex: key.publicHex, createdAt: key.createdAt.toISOString() };
    await appendAudit(trx, {
      actor: input.actor ?? 'cli',
      action: TUF_ONLINE_KEYS_ROTATED,
      subjectType: 'tuf_root',
      subjectId: String(root.version),
      detail: {
        rootVersion: root.version,
        snapshot: {
          retired: described(retiredSnapshot),
          key: { keyId: snapshotKey.keyId, publicHex: snapshotKey.publicHex },
        },
        timestamp: {
          retired: described(retiredTimestamp),
          key: { keyId: timestampKey.keyId, publicHex: timestampKey.publicHex },
        },
        snapshotVersion: snapshot?.version ?? null,
        timestampVersion: timestamp?.version ?? null,
        rootSignedBy: [...new Set(rootSigners.map((signer) => signer.keyId))],
      },
      at: now,
    });
    return {
      ...(retiredSnapshot ? { snapshot: retiredSnapshot } : {}),
      ...(retiredTimestamp ? { timestamp: retiredTimestamp } : {}),
    };
  });
  return {
    rootVersion: root.version,
    snapshotKeyId: snapshotKey.keyId,
    timestampKeyId: timestampKey.keyId,
    retired,
    snapshotVersion: snapshot?.version ?? null,
    timestampVersion: timestamp?.version ?? null,
  };
}
