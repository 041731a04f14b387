// The image repository's word on a target: tuf-js refreshes the metadata (root → timestamp →
// snapshot → targets, every signature, version and expiry checked) and gives the target's length,
// hashes and custom fields. The director only names a path; this is what makes it installable.
// Imports from src/: only the pure version-range parser and ordering (no database, no HTTP).
import fs from 'node:fs';
import path from 'node:path';
import { Updater } from 'tuf-js';
import { compareVersionPrecedence } from '../../src/inventory/versions/version-order.ts';
import { parseVersionRange, rangeContains } from '../../src/inventory/versions/version-range.ts';
import type { Instruction } from './director.ts';

export type VerifiedTarget = {
  path: string;
  length: number;
  hashes: { sha256: string; sha512: string };
  version: string;
  releaseCounter: number;
};

export type DeviceFacts = {
  /** The model id (or its slug) the device was registered with. */
  model: string;
  hardwareRevision: string;
  currentVersion: string;
  /** The release counter of the installed firmware, if known. */
  releaseCounter: number | null;
};

/** A refusal with the error code the agent reports. */
export class TargetRefused extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

type Custom = {
  modelId?: unknown;
  modelSlug?: unknown;
  hardwareRevisions?: unknown;
  version?: unknown;
  releaseCounter?: unknown;
  installOver?: unknown;
};

export async function verifiedTarget(options: {
  serverUrl: string;
  metadataDir: string;
  trustedRoot: Uint8Array | string;
  target: NonNullable<Instruction['target']>;
  device: DeviceFacts;
}): Promise<VerifiedTarget> {
  fs.mkdirSync(options.metadataDir, { recursive: true });
  const rootFile = path.join(options.metadataDir, 'root.json');
  if (!fs.existsSync(rootFile)) fs.writeFileSync(rootFile, options.trustedRoot);
  const updater = new Updater({
    metadataDir: options.metadataDir,
    metadataBaseUrl: `${options.serverUrl}/tuf/metadata`,
    // The agent downloads targets itself (with resume); tuf-js only needs a folder it never fills.
    targetDir: path.join(options.metadataDir, 'unused-targets'),
    targetBaseUrl: `${options.serverUrl}/tuf/targets`,
    config: { fetchRetries: 0 },
  });
  try {
    await updater.refresh();
  } catch (error) {
    throw new TargetRefused('E_TUF_METADATA', `the image repository's metadata was refused: ${error}`);
  }
  const info = await updater.getTargetInfo(options.target.path);
  if (!info) throw new TargetRefused('E_TUF_UNKNOWN_TARGET', `${options.target.path} is not a signed target`);
  const sha256 = info.hashes.sha256;
  const sha512 = info.hashes.sha512;
  if (!sha256 || !sha512) throw new TargetRefused('E_TUF_HASHES', 'the target lacks a SHA-256 or SHA-512');
  const custom = (info.custom ?? {}) as Custom;
  const { device } = options;
  if (custom.modelId !== device.model && custom.modelSlug !== device.model) {
    throw new TargetRefused('E_TARGET_MODEL', `the target is for model ${String(custom.modelSlug)}`);
  }
  if (
    !Array.isArray(custom.hardwareRevisions) ||
    !custom.hardwareRevisions.includes(device.hardwareRevision)
  ) {
    throw new TargetRefused('E_TARGET_HARDWARE', `the target is not for hardware ${device.hardwareRevision}`);
  }
  if (typeof custom.version !== 'string' || !Number.isInteger(custom.releaseCounter)) {
    throw new TargetRefused('E_TARGET_CUSTOM', 'the target has no version or release counter');
  }
  const releaseCounter = custom.releaseCounter as number;
  if (
    compareVersionPrecedence(custom.version, device.currentVersion) <= 0 ||
    (device.releaseCounter !== null && releaseCounter <= device.releaseCounter)
  ) {
    throw new TargetRefused('E_ROLLBACK', `${custom.version} is not newer than ${device.currentVersion}`);
  }
  let admitted = false;
  try {
    admitted =
      typeof custom.installOver === 'string' &&
      rangeContains(parseVersionRange(custom.installOver), device.currentVersion);
  } catch {
    admitted = false;
  }
  if (!admitted) {
    throw new TargetRefused(
      'E_INSTALL_OVER',
      `the target may not be installed over ${device.currentVersion}`,
    );
  }
  // The director's copy of length, hash and version must agree with the image repository's.
  const named = options.target;
  if (named.length !== info.length || named.sha256 !== sha256 || named.version !== custom.version) {
    throw new TargetRefused(
      'E_DIRECTOR_MISMATCH',
      'the director and the image repository disagree on the target',
    );
  }
  return {
    path: info.path,
    length: info.length,
    hashes: { sha256, sha512 },
    version: custom.version,
    releaseCounter,
  };
}
