// Bearer secrets (session cookies, API tokens): random, shown once, stored only as SHA-256 hashes.
import crypto from 'node:crypto';
import type { Random } from '../platform/clock.ts';

export const TOKEN_PREFIX = 'opsirt_';

export const newSecret = (random: Random): string => random(32).toString('base64url');

export const newApiToken = (random: Random): string => `${TOKEN_PREFIX}${newSecret(random)}`;

export const hashSecret = (secret: string): string =>
  crypto.createHash('sha256').update(secret, 'utf8').digest('hex');

/** Compares two secrets in time independent of where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}
