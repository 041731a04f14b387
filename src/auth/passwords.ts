// Password hashing with Argon2id (OWASP parameters), and generated passwords for new accounts.
import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { Invalid } from '../platform/errors.ts';

/** Argon2id (algorithm 2), 19 MiB, 2 passes: the OWASP password storage recommendation. */
const options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const passwordRules = { minLength: 12, maxLength: 256 } as const;

export function checkPassword(password: string, field = 'password'): void {
  if (password.length < passwordRules.minLength) {
    throw new Invalid({ [field]: `must be at least ${passwordRules.minLength} characters` });
  }
  if (password.length > passwordRules.maxLength) {
    throw new Invalid({ [field]: `must be at most ${passwordRules.maxLength} characters` });
  }
}

export const hashPassword = (password: string): Promise<string> => hash(password, options);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spends the time of a real verification, so an unknown email answers as slowly as a wrong password. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  await verifyPassword(await dummyHash, password);
  return false;
}

/** A random password of 20 characters from an alphabet without look-alikes (about 115 bits). */
export function generatePassword(random: (bytes: number) => Buffer = crypto.randomBytes): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = random(40);
  let out = '';
  for (const byte of bytes) {
    // Rejection sampling keeps every character equally likely.
    if (byte < alphabet.length * Math.floor(256 / alphabet.length)) out += alphabet[byte % alphabet.length];
    if (out.length === 20) return out;
  }
  return out + generatePassword(random).slice(0, 20 - out.length);
}
