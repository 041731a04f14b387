// Stateless device session tokens and session challenges, HMAC-signed with the rotating session keys.
// An Ed25519 device signs one challenge to get a token, then presents the token on every check-in:
// checking it costs one HMAC, never an Ed25519 verification.
//
//   challenge: c1.<keyId>.<deviceId>.<expires unix s>.<random>.<mac>   (valid 2 minutes)
//   token:     s1.<keyId>.<deviceId>.<expires unix s>.<mac>            (valid 24 hours)
import crypto from 'node:crypto';
import type { Random } from '../../platform/clock.ts';
import { mac, type SessionKeyRing } from './session-keys.ts';

export const challengeLifeSeconds = 120;
export const tokenLifeSeconds = 24 * 3600;

const unixSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

function sameMac(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

async function sealed(ring: SessionKeyRing, parts: string[]): Promise<string> {
  const key = await ring.current();
  const body = [parts[0], key.keyId, ...parts.slice(1)].join('.');
  return `${body}.${mac(key, body)}`;
}

/** The fields of a sealed value of `kind` with `count` fields after the key id, if genuine and unexpired. */
async function opened(
  ring: SessionKeyRing,
  value: string,
  kind: string,
  count: number,
  now: Date,
): Promise<string[] | undefined> {
  const parts = value.split('.');
  if (parts.length !== count + 3 || parts[0] !== kind) return undefined;
  const key = await ring.find(parts[1] as string);
  if (!key) return undefined;
  const body = parts.slice(0, -1).join('.');
  if (!sameMac(mac(key, body), parts.at(-1) as string)) return undefined;
  const fields = parts.slice(2, -1);
  const expires = Number(fields[1]);
  if (!Number.isInteger(expires) || expires <= unixSeconds(now)) return undefined;
  return fields;
}

export async function issueChallenge(ring: SessionKeyRing, random: Random, deviceId: string, now: Date) {
  const expires = unixSeconds(now) + challengeLifeSeconds;
  const challenge = await sealed(ring, ['c1', deviceId, String(expires), random(16).toString('base64url')]);
  return { challenge, expiresAt: new Date(expires * 1000) };
}

/** The device a challenge was made for, if it is genuine and unexpired. */
export async function openChallenge(ring: SessionKeyRing, challenge: string, now: Date) {
  return (await opened(ring, challenge, 'c1', 3, now))?.[0];
}

export async function issueSessionToken(ring: SessionKeyRing, deviceId: string, now: Date) {
  const expires = unixSeconds(now) + tokenLifeSeconds;
  const token = await sealed(ring, ['s1', deviceId, String(expires)]);
  return { token, expiresAt: new Date(expires * 1000) };
}

/** The device a token was issued to, if it is genuine and unexpired. */
export async function openSessionToken(ring: SessionKeyRing, token: string, now: Date) {
  return (await opened(ring, token, 's1', 2, now))?.[0];
}
