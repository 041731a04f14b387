// Snapshot and timestamp: signed by the server with its online keys whenever new targets metadata is
// stored, and again once less than half their lifetime remains (the hourly TUF_ONLINE_REFRESH job).
import crypto from 'node:crypto';
import { MetaFile, Snapshot, Timestamp } from '@tufjs/models';
import type { TufSigner } from './ed25519-keys.ts';
import {
  dueForResigning,
  expiresAfter,
  expiryString,
  parseSnapshot,
  parseTimestamp,
  signedBytes,
} from './metadata-files.ts';
import { insertMetadata, latestMetadata, type StoredMetadata } from './metadata-store.ts';
import { onlineSigner, type TufDeps } from './online-keys.ts';

export type OnlineRefresh = { snapshotVersion: number | null; timestampVersion: number | null };

/** How a metadata file is named in the role above it: its version, length and SHA-256. */
const metaFileOf = (file: StoredMetadata) =>
  new MetaFile({
    version: file.version,
    length: Buffer.byteLength(file.body),
    hashes: { sha256: crypto.createHash('sha256').update(file.body).digest('hex') },
  });

/** Snapshot `version` naming `targets`, signed with `signer`; stores nothing. */
export function signSnapshot(
  targets: StoredMetadata,
  version: number,
  now: Date,
  signer: TufSigner,
): StoredMetadata {
  const expiresAt = expiresAfter(now, 'snapshot');
  const body = signedBytes(
    new Snapshot({
      version,
      specVersion: '1.0.31',
      expires: expiryString(expiresAt),
      meta: { 'targets.json': metaFileOf(targets) },
    }),
    [signer],
  );
  return { role: 'snapshot', version, body, expiresAt };
}

/** Timestamp `version` naming `snapshot`, signed with `signer`; stores nothing. */
export function signTimestamp(
  snapshot: StoredMetadata,
  version: number,
  now: Date,
  signer: TufSigner,
): StoredMetadata {
  const expiresAt = expiresAfter(now, 'timestamp');
  const body = signedBytes(
    new Timestamp({
      version,
      specVersion: '1.0.31',
      expires: expiryString(expiresAt),
      snapshotMeta: metaFileOf(snapshot),
    }),
    [signer],
  );
  return { role: 'timestamp', version, body, expiresAt };
}

/**
 * Signs a new snapshot when the targets changed or the snapshot is due, and a new timestamp when the
 * snapshot changed or the timestamp is due. Answers which versions it stored (null: nothing to do).
 */
export async function refreshOnlineRoles(deps: TufDeps): Promise<OnlineRefresh> {
  const now = deps.clock();
  const targets = await latestMetadata(deps.db, 'targets');
  if (!targets) return { snapshotVersion: null, timestampVersion: null };
  let snapshot = await latestMetadata(deps.db, 'snapshot');
  let newSnapshot: number | null = null;
  if (
    !snapshot ||
    parseSnapshot(snapshot.body).signed.meta['targets.json']?.version !== targets.version ||
    dueForResigning(snapshot.expiresAt, 'snapshot', now)
  ) {
    const version = (snapshot?.version ?? 0) + 1;
    const file = signSnapshot(targets, version, now, await onlineSigner(deps, 'snapshot'));
    if (await insertMetadata(deps.db, file)) newSnapshot = version;
    snapshot = (await latestMetadata(deps.db, 'snapshot')) ?? file;
  }
  const timestamp = await latestMetadata(deps.db, 'timestamp');
  let newTimestamp: number | null = null;
  if (
    !timestamp ||
    parseTimestamp(timestamp.body).signed.snapshotMeta.version !== snapshot.version ||
    dueForResigning(timestamp.expiresAt, 'timestamp', now)
  ) {
    const version = (timestamp?.version ?? 0) + 1;
    const file = signTimestamp(snapshot, version, now, await onlineSigner(deps, 'timestamp'));
    if (await insertMetadata(deps.db, file)) newTimestamp = version;
  }
  return { snapshotVersion: newSnapshot, timestampVersion: newTimestamp };
}
