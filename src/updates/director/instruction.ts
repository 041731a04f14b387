// The director's instruction: what it tells one device to do, signed with the director's online
// Ed25519 key. The wire form is a canonical JSON envelope {"signatures":[{"keyid","sig"}],"signed":{…}}
// whose `signed` member is the exact canonical JSON that was signed. `verifyInstruction` is what a
// device runs before acting on one; the agent (agent/) imports it.
import crypto from 'node:crypto';
import { canonicalJson } from '../tuf/canonical-json.ts';
import { keyIdOf } from '../tuf/ed25519-keys.ts';

export type InstallMode = 'soft' | 'forced' | 'download-only';

/** A firmware to install: a TUF target of the image repository, which the device verifies itself. */
export type Target = {
  path: string;
  length: number;
  sha256: string;
  version: string;
  releaseId: string;
  mode: InstallMode;
};

export type Instruction = {
  deviceId: string;
  nonce: string;
  /** UTC, whole seconds, as TUF metadata writes `expires`: 2026-11-30T07:00:00Z. */
  issuedAt: string;
  expiresAt: string;
  action: 'none' | 'install';
  target?: Target;
  pollSeconds: number;
};

export type InstructionSignature = { keyid: string; sig: string };
export type SignedInstruction = { signatures: InstructionSignature[]; signed: Instruction };

/** A time as instructions carry it: ISO 8601 UTC without fractions of a second. */
export const instructionTime = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;

/** The bytes that are signed: the canonical JSON of the instruction. */
export const instructionBytes = (instruction: Instruction): Buffer =>
  Buffer.from(canonicalJson(instruction as never), 'utf8');

/** The response body: canonical JSON of the envelope, so `signed` appears byte for byte as signed. */
export function encodeSignedInstruction(
  instruction: Instruction,
  sign: (bytes: Buffer) => InstructionSignature,
): string {
  const bytes = instructionBytes(instruction);
  const { keyid, sig } = sign(bytes);
  // The envelope's canonical JSON, written around the signed bytes instead of serialising them again
  // (members in canonical order: signatures before signed, keyid before sig).
  return `{"signatures":[{"keyid":${canonicalJson(keyid)},"sig":${canonicalJson(sig)}}],"signed":${bytes.toString('utf8')}}`;
}

const spkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');

export type InstructionRefusal = 'MALFORMED' | 'BAD_SIGNATURE' | 'OTHER_DEVICE' | 'STALE_NONCE' | 'EXPIRED';
export type InstructionCheck = { ok: true } | { ok: false; reason: InstructionRefusal };

const isTime = (value: unknown): value is string =>
  typeof value === 'string' &&
  /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(value) &&
  !Number.isNaN(Date.parse(value));

/**
 * Whether a device may act on an instruction: signed by the director key it trusts (raw Ed25519
 * public key, 64 hex), addressed to this device, answering the nonce it just sent, and not expired.
 *
 * @example const check = verifyInstruction(body.signed, body.signatures[0], directorKeyHex, { deviceId, nonce, now: new Date() });
 */
export function verifyInstruction(
  instruction: Instruction,
  signature: InstructionSignature,
  directorPublicKey: string,
  expected: { deviceId: string; nonce: string; now: Date },
): InstructionCheck {
  if (
    typeof instruction !== 'object' ||
    instruction === null ||
    typeof signature?.sig !== 'string' ||
    !/^[0-9a-f]{128}$/.test(signature.sig) ||
    !isTime(instruction.issuedAt) ||
    !isTime(instruction.expiresAt)
  ) {
    return { ok: false, reason: 'MALFORMED' };
  }
  if (signature.keyid !== keyIdOf(directorPublicKey)) return { ok: false, reason: 'BAD_SIGNATURE' };
  let valid: boolean;
  try {
    const key = crypto.createPublicKey({
      key: Buffer.concat([spkiPrefix, Buffer.from(directorPublicKey, 'hex')]),
      format: 'der',
      type: 'spki',
    });
    valid = crypto.verify(null, instructionBytes(instruction), key, Buffer.from(signature.sig, 'hex'));
  } catch {
    return { ok: false, reason: 'MALFORMED' };
  }
  if (!valid) return { ok: false, reason: 'BAD_SIGNATURE' };
  if (instruction.deviceId !== expected.deviceId) return { ok: false, reason: 'OTHER_DEVICE' };
  if (instruction.nonce !== expected.nonce) return { ok: false, reason: 'STALE_NONCE' };
  if (Date.parse(instruction.expiresAt) <= expected.now.getTime()) return { ok: false, reason: 'EXPIRED' };
  return { ok: true };
}
