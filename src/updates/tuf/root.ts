// Root metadata: the first root (offline root keys, the targets keys, the server's online snapshot and
// timestamp keys) and each rotation, signed by a threshold of the old root keys AND of the new ones so
// that a client trusting the old root accepts the new one.
import { Root } from '@tufjs/models';
import type { Db } from '../../db/database.ts';
import { type AuditActor, appendAudit } from '../../platform/audit.ts';
import { Conflict, Invalid } from '../../platform/errors.ts';
import { keyDocument, type TufPublicKey, type TufSigner } from './ed25519-keys.ts';
import { expiresAfter, expiryString, parseRoot, signedBytes } from './metadata-files.ts';
import { insertMetadata, latestMetadata } from './metadata-store.ts';
import { ensureOnlineKey, type TufDeps } from './online-keys.ts';

export type RootKeys = {
  root: TufPublicKey[];
  rootThreshold: number;
  targets: TufPublicKey[];
  snapshot: TufPublicKey;
  timestamp: TufPublicKey;
};

function buildRoot(version: number, expires: Date, keys: RootKeys): Root {
  const keyDocuments: Record<string, ReturnType<typeof keyDocument>> = {};
  const role = (roleKeys: TufPublicKey[], threshold: number) => {
    for (const key of roleKeys) keyDocuments[key.keyId] = keyDocument(key.publicHex);
    return { keyids: [...new Set(roleKeys.map((key) => key.keyId))], threshold };
  };
  // @tufjs/models exports no Role class: the root is built from its JSON form.
  return Root.fromJSON({
    _type: 'root',
    spec_version: '1.0.31',
    version,
    expires: expiryString(expires),
    consistent_snapshot: true,
    roles: {
      root: role(keys.root, keys.rootThreshold),
      targets: role(keys.targets, 1),
      snapshot: role([keys.snapshot], 1),
      timestamp: role([keys.timestamp], 1),
    },
    keys: keyDocuments,
  });
}

function checkThreshold(signers: TufSigner[], keys: TufPublicKey[], threshold: number, field: string): void {
  if (!Number.isInteger(threshold) || threshold < 1)
    throw new Invalid({ threshold: 'must be a whole number of at least 1' });
  const distinct = new Set(keys.map((key) => key.keyId));
  if (threshold > distinct.size) {
    throw new Invalid({
      threshold: `is ${threshold}, but only ${distinct.size} different root keys are given`,
    });
  }
  const signing = new Set(signers.map((s) => s.keyId).filter((id) => distinct.has(id)));
  if (signing.size < threshold)
    throw new Invalid({ [field]: `needs ${threshold} keys of the root role; ${signing.size} given` });
}

/** The first root: refused when a root exists (rotate it instead). Returns its version (1). */
export async function initRoot(
  deps: TufDeps,
  input: {
    rootSigners: TufSigner[];
    rootKeys: TufPublicKey[];
    threshold: number;
    targetsKeys: TufPublicKey[];
    actor?: AuditActor;
  },
): Promise<{ version: number; body: string }> {
  if (await latestMetadata(deps.db, 'root')) {
    throw new Conflict(
      'The image repository has a root already; use "openpsirt tuf rotate-root" to change it.',
    );
  }
  checkThreshold(input.rootSigners, input.rootKeys, input.threshold, 'rootKey');
  let targetsKeys = input.targetsKeys;
  if (targetsKeys.length === 0) {
    if (!deps.config.tufOnlineTargets)
      throw new Invalid({ targetsPub: 'name the public key file of the targets role' });
    targetsKeys = [await ensureOnlineKey(deps, 'targets')];
  }
  const keys: RootKeys = {
    root: input.rootKeys,
    rootThreshold: input.threshold,
    targets: targetsKeys,
    snapshot: await ensureOnlineKey(deps, 'snapshot'),
    timestamp: await ensureOnlineKey(deps, 'timestamp'),
  };
  const root = signRoot(1, keys, input.rootSigners, deps.clock());
  await deps.db.transaction().execute(async (trx) => {
    if (!(await insertMetadata(trx, { role: 'root', ...root }))) {
      throw new Conflict('Someone else signed the first root at the same time.');
    }
    await auditRoot(trx, TUF_ROOT_INITIALISED, root, keys, input.rootSigners, deps.clock(), input.actor);
  });
  return { version: 1, body: root.body };
}

/**
 * The latest root and the keys it names, once `signers` are shown to hold a threshold of its root keys
 * (a new root version must be signed by them to be trusted by clients that trust this one).
 */
export async function currentRootSignedBy(
  deps: TufDeps,
  signers: TufSigner[],
  field: string,
): Promise<{ version: number; keys: RootKeys }> {
  const current = await latestMetadata(deps.db, 'root');
  if (!current) throw new Invalid({ [field]: 'there is no root yet: run "openpsirt tuf init-root" first' });
  const signed = parseRoot(current.body).signed;
  const rootRole = signed.roles.root;
  if (!rootRole) throw new Error('the current root names no root role');
  const signing = new Set(signers.map((s) => s.keyId).filter((id) => rootRole.keyIDs.includes(id)));
  if (signing.size < rootRole.threshold) {
    throw new Invalid({
      [field]: `root version ${current.version} needs ${rootRole.threshold} of its keys to sign; ${signing.size} of the given keys are among them`,
    });
  }
  const keysOf = (role: string): TufPublicKey[] =>
    (signed.roles[role]?.keyIDs ?? []).map((keyId: string) => ({
      keyId,
      publicHex: signed.keys[keyId]?.keyVal.public ?? '',
    }));
  return {
    version: current.version,
    keys: {
      root: keysOf('root'),
      rootThreshold: rootRole.threshold,
      targets: keysOf('targets'),
      snapshot: keysOf('snapshot')[0] as TufPublicKey,
      timestamp: keysOf('timestamp')[0] as TufPublicKey,
    },
  };
}

export type SignedRoot = { version: number; body: string; expiresAt: Date };

export const TUF_ROOT_INITIALISED = 'TUF_ROOT_INITIALISED';
export const TUF_ROOT_ROTATED = 'TUF_ROOT_ROTATED';

/** The paper trail of a root ceremony: which keys the new root names and which keys signed it. */
async function auditRoot(
  db: Db,
  action: string,
  root: SignedRoot,
  keys: RootKeys,
  signers: TufSigner[],
  at: Date,
  actor: AuditActor = 'cli',
): Promise<void> {
  await appendAudit(db, {
    actor,
    action,
    subjectType: 'tuf_root',
    subjectId: String(root.version),
    detail: {
      rootVersion: root.version,
      expiresAt: root.expiresAt.toISOString(),
      rootKeyIds: keys.root.map((key) => key.keyId),
      rootThreshold: keys.rootThreshold,
      targetsKeyIds: keys.targets.map((key) => key.keyId),
      snapshotKeyId: keys.snapshot.keyId,
      timestampKeyId: keys.timestamp.keyId,
      signedBy: [...new Set(signers.map((signer) => signer.keyId))],
    },
    at,
  });
}

/** Root `version` naming `keys`, signed once by each distinct signer; stores nothing. */
export function signRoot(version: number, keys: RootKeys, signers: TufSigner[], now: Date): SignedRoot {
  const distinct = signers.filter(
    (signer, index, all) => all.findIndex((s) => s.keyId === signer.keyId) === index,
  );
  const expiresAt = expiresAfter(now, 'root');
  return { version, body: signedBytes(buildRoot(version, expiresAt, keys), distinct), expiresAt };
}

/** Stores a root version (in the caller's transaction, if any); Conflict when it exists already. */
export async function storeRoot(db: Db, root: SignedRoot): Promise<void> {
  if (!(await insertMetadata(db, { role: 'root', ...root }))) {
    throw new Conflict(`Root version ${root.version} was signed at the same time by someone else.`);
  }
}

/**
 * The next root version with new root keys (and, if given, new targets keys); the other roles keep
 * their keys. Signed by a threshold of the current root keys and a threshold of the new ones.
 */
export async function rotateRoot(
  deps: TufDeps,
  input: {
    oldSigners: TufSigner[];
    newSigners: TufSigner[];
    newRootKeys: TufPublicKey[];
    threshold: number;
    targetsKeys?: TufPublicKey[];
    actor?: AuditActor;
  },
): Promise<{ version: number; body: string }> {
  const current = await currentRootSignedBy(deps, input.oldSigners, 'oldKey');
  checkThreshold(input.newSigners, input.newRootKeys, input.threshold, 'newRootKey');
  const keys: RootKeys = {
    ...current.keys,
    root: input.newRootKeys,
    rootThreshold: input.threshold,
    targets: input.targetsKeys && input.targetsKeys.length > 0 ? input.targetsKeys : current.keys.targets,
  };
  const signers = [...input.oldSigners, ...input.newSigners];
  const root = signRoot(current.version + 1, keys, signers, deps.clock());
  await deps.db.transaction().execute(async (trx) => {
    await storeRoot(trx, root);
    await auditRoot(trx, TUF_ROOT_ROTATED, root, keys, signers, deps.clock(), input.actor);
  });
  return { version: root.version, body: root.body };
}
