// One check-in with the director: a fresh nonce, the answer verified before anything else looks at
// it (signature under the pinned key, this device, this nonce, not expired).
// Imports from src/: only the pure verifier the server's tests also use (no database, no HTTP).
import crypto from 'node:crypto';
import {
  type Instruction,
  type InstructionRefusal,
  type InstructionSignature,
  verifyInstruction,
} from '../../src/updates/director/instruction.ts';
import { type Authorizer, ProtocolError } from './credentials.ts';

export type { Instruction, InstructionRefusal };

export type DirectorAnswer =
  | { ok: true; instruction: Instruction }
  | { ok: false; reason: InstructionRefusal };

/** 16 random bytes in base64url: 22 characters of A-Z a-z 0-9 _ -. */
export const freshNonce = () => crypto.randomBytes(16).toString('base64url');

export async function askDirector(options: {
  serverUrl: string;
  deviceId: string;
  directorPublicKey: string;
  installedVersion: string;
  auth: Authorizer;
  now: () => Date;
  post: (url: string, body: unknown, headers?: Record<string, string>) => Promise<Response>;
}): Promise<DirectorAnswer> {
  const nonce = freshNonce();
  const body = { installedVersion: options.installedVersion, nonce };
  const send = async () =>
    options.post(`${options.serverUrl}/device/v1/check-in`, body, {
      authorization: await options.auth.header(),
    });
  let response = await send();
  if (response.status === 401) {
    // An expired or rotated-away session token: one new session, then give up until the next poll.
    options.auth.reset();
    response = await send();
  }
  if (response.status !== 200) throw new ProtocolError('E_CHECK_IN', response.status);
  return verifyAnswer(await response.text(), {
    deviceId: options.deviceId,
    nonce,
    directorPublicKey: options.directorPublicKey,
    now: options.now(),
  });
}

/** Verifies a check-in answer body; nothing in it counts until this says ok. */
export function verifyAnswer(
  text: string,
  expected: { deviceId: string; nonce: string; directorPublicKey: string; now: Date },
): DirectorAnswer {
  let envelope: { signatures?: InstructionSignature[]; signed?: Instruction };
  try {
    envelope = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'MALFORMED' };
  }
  const signatures = envelope?.signatures;
  if (!Array.isArray(signatures) || signatures.length !== 1 || !envelope.signed) {
    return { ok: false, reason: 'MALFORMED' };
  }
  const check = verifyInstruction(
    envelope.signed,
    signatures[0] as InstructionSignature,
    expected.directorPublicKey,
    expected,
  );
  if (!check.ok) return check;
  const instruction = envelope.signed;
  if (instruction.action === 'install' && !instruction.target) return { ok: false, reason: 'MALFORMED' };
  if (!Number.isInteger(instruction.pollSeconds) || instruction.pollSeconds < 1) {
    return { ok: false, reason: 'MALFORMED' };
  }
  return { ok: true, instruction };
}
