// `openpsirt tuf …`: the key generation and signing ceremonies of the image repository, run by an
// admin on a machine with the offline key files, against the same database as the server.
import type { Logger } from 'pino';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { resolvePgpPassphrase } from '../../keys/pgp-passphrase.ts';
import { loadServerPgpKey } from '../../keys/server-pgp-key.ts';
import { systemClock } from '../../platform/clock.ts';
import { Invalid } from '../../platform/errors.ts';
import { openArtifactStorage } from '../artifacts/choose-storage.ts';
import { tufSigner } from './ed25519-keys.ts';
import { exportRepository } from './export.ts';
import { readPrivateKeyFile, readPublicKeyFile, writeKeyFiles } from './key-files.ts';
import { ensureOnlineKey, type TufDeps } from './online-keys.ts';
import { refreshOnlineRoles } from './online-roles.ts';
import { rotateOnlineKeys } from './online-rotation.ts';
import { initRoot, rotateRoot } from './root.ts';
import { signTargets } from './targets.ts';

export const tufUsage = [
  'openpsirt tuf keygen --role root|targets --out DIR',
  '       openpsirt tuf init-root --root-key F [--root-key F2 … --threshold N] [--targets-pub P …]',
  '       openpsirt tuf sign-targets --key F [--key F2 …]',
  '       openpsirt tuf rotate-root --old-key F … --new-root-key G … [--threshold N] [--targets-pub P …]',
  '       openpsirt tuf rotate-online --root-key F [--root-key F2 …]   (new snapshot and timestamp keys)',
  '       openpsirt tuf refresh-online',
  '       openpsirt tuf export --out DIR',
].join('\n');

export const tufOptions = {
  role: { type: 'string', description: 'keygen: root or targets' },
  out: { type: 'string', description: 'keygen, export: the folder to write to' },
  'root-key': {
    type: 'string',
    multiple: true,
    description: 'init-root, rotate-online: a root private key file (repeat)',
  },
  threshold: { type: 'string', description: 'init-root, rotate-root: root keys needed to sign (default 1)' },
  'targets-pub': {
    type: 'string',
    multiple: true,
    description: 'init-root, rotate-root: a targets public key file',
  },
  key: { type: 'string', multiple: true, description: 'sign-targets: a targets private key file (repeat)' },
  'old-key': {
    type: 'string',
    multiple: true,
    description: 'rotate-root: a private key of the current root',
  },
  'new-root-key': {
    type: 'string',
    multiple: true,
    description: 'rotate-root: a private key of the new root',
  },
} as const;

export type TufCliValues = {
  role?: string | undefined;
  out?: string | undefined;
  'root-key'?: string[] | undefined;
  threshold?: string | undefined;
  'targets-pub'?: string[] | undefined;
  key?: string[] | undefined;
  'old-key'?: string[] | undefined;
  'new-root-key'?: string[] | undefined;
};

type Open = () => Promise<{ config: Config; database: Database; log: Logger }>;

function thresholdOf(values: TufCliValues): number {
  if (values.threshold === undefined) return 1;
  if (!/^\d+$/.test(values.threshold)) throw new Invalid({ threshold: 'must be a whole number' });
  return Number(values.threshold);
}

function required(values: TufCliValues, name: keyof TufCliValues): string[] {
  const given = values[name];
  const list = given === undefined ? [] : Array.isArray(given) ? given : [given];
  if (list.length === 0) throw new Invalid({ [name]: 'is required' }, `--${name} is required`);
  return list;
}

/** A refusal of a ceremony as one line (`openpsirt: --root-key: …`) instead of a list of fields. */
const asOneLine =
  (option: string) =>
  (error: unknown): never => {
    if (error instanceof Invalid) {
      throw new Error(`${option}: ${Object.values(error.fields).join('; ')}`, { cause: error });
    }
    throw error;
  };

/** Runs one `tuf` action; answers the lines to print. */
export async function runTufCli(
  action: string | undefined,
  values: TufCliValues,
  open: Open,
): Promise<string> {
  if (action === 'keygen') {
    if (values.role !== 'root' && values.role !== 'targets')
      throw new Invalid({ role: 'must be root or targets' });
    const out = required(values, 'out')[0] as string;
    const written = writeKeyFiles(out, values.role);
    return [
      `A ${values.role} key ${written.keyId}`,
      `  private (keep offline, mode 0600): ${written.privateFile}`,
      `  public:                            ${written.publicFile}`,
      '',
    ].join('\n');
  }
  const { config, database, log } = await open();
  try {
    const pgp = await loadServerPgpKey(database.db, {
      passphrase: resolvePgpPassphrase(config.pgpPassphrase, config.dataDir, log),
      userId: { name: `${config.orgName} security team`, email: config.securityEmail },
    });
    const deps: TufDeps = { db: database.db, clock: systemClock, pgp, config };
    switch (action) {
      case 'init-root': {
        const rootPairs = required(values, 'root-key').map((f) => readPrivateKeyFile(f, 'root-key', 'root'));
        const targetsKeys = (values['targets-pub'] ?? []).map((f) => readPublicKeyFile(f, 'targets-pub'));
        const root = await initRoot(deps, {
          rootSigners: rootPairs.map((pair) => tufSigner(pair.privateHex)),
          rootKeys: rootPairs,
          threshold: thresholdOf(values),
          targetsKeys,
        });
        const snapshot = await ensureOnlineKey(deps, 'snapshot');
        const timestamp = await ensureOnlineKey(deps, 'timestamp');
        return [
          `Root version ${root.version} signed by ${rootPairs.length} root key(s).`,
          `  Online snapshot key ${snapshot.keyId}, timestamp key ${timestamp.keyId} (kept by the server).`,
          '  Give devices this root as their trusted root: /tuf/metadata/1.root.json',
          '',
        ].join('\n');
      }
      case 'sign-targets': {
        const pairs = required(values, 'key').map((f) => readPrivateKeyFile(f, 'key', 'targets'));
        const result = await signTargets(
          deps,
          pairs.map((pair) => tufSigner(pair.privateHex)),
        );
        return [
          `Targets version ${result.version} signed: ${result.targets} release(s).`,
          `  Snapshot ${result.snapshotVersion ?? 'unchanged'}, timestamp ${result.timestampVersion ?? 'unchanged'}.`,
          '',
        ].join('\n');
      }
      case 'rotate-root': {
        const oldPairs = required(values, 'old-key').map((f) => readPrivateKeyFile(f, 'old-key', 'root'));
        const newPairs = required(values, 'new-root-key').map((f) =>
          readPrivateKeyFile(f, 'new-root-key', 'root'),
        );
        const root = await rotateRoot(deps, {
          oldSigners: oldPairs.map((pair) => tufSigner(pair.privateHex)),
          newSigners: newPairs.map((pair) => tufSigner(pair.privateHex)),
          newRootKeys: newPairs,
          threshold: thresholdOf(values),
          targetsKeys: (values['targets-pub'] ?? []).map((f) => readPublicKeyFile(f, 'targets-pub')),
        });
        return `Root version ${root.version} signed by the old and the new root keys.\n`;
      }
      case 'rotate-online': {
        const rootPairs = required(values, 'root-key').map((f) => readPrivateKeyFile(f, 'root-key', 'root'));
        const rotation = await rotateOnlineKeys(deps, {
          rootSigners: rootPairs.map((pair) => tufSigner(pair.privateHex)),
          actor: 'cli',
        }).catch(asOneLine('--root-key'));
        const retired = [rotation.retired.snapshot, rotation.retired.timestamp]
          .map((key) => key?.keyId)
          .filter((keyId) => keyId !== undefined);
        return [
          `Root version ${rotation.rootVersion} names new online keys: snapshot ${rotation.snapshotKeyId}, timestamp ${rotation.timestampKeyId}.`,
          `  Retired (the server can no longer sign with them; see the audit log): ${retired.join(', ') || 'none'}.`,
          `  Snapshot ${rotation.snapshotVersion ?? 'none yet'}, timestamp ${rotation.timestampVersion ?? 'none yet'}, signed with the new keys.`,
          '',
        ].join('\n');
      }
      case 'refresh-online': {
        const result = await refreshOnlineRoles(deps);
        return `Snapshot ${result.snapshotVersion ?? 'unchanged'}, timestamp ${result.timestampVersion ?? 'unchanged'}.\n`;
      }
      case 'export': {
        const out = required(values, 'out')[0] as string;
        const result = await exportRepository(
          { db: database.db, artifacts: await openArtifactStorage(config) },
          out,
        );
        return `Exported ${result.metadataFiles} metadata files and ${result.targetFiles} target files to ${out}.\n`;
      }
      default:
        throw new Invalid(
          {
            action:
              'must be keygen, init-root, sign-targets, rotate-root, rotate-online, refresh-online or export',
          },
          `Unknown tuf action "${action ?? ''}"`,
        );
    }
  } finally {
    await database.close();
  }
}
