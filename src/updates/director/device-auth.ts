// Authenticating a device on the hot path, without a query and without an Ed25519 verification:
//   Authorization: Device <deviceId>:<secret>     a secret device: SHA-256 of the secret compared in
//                                                  constant time with the cached hash
//   Authorization: DeviceSession <token>          an Ed25519 device: a session token (one HMAC)
import crypto from 'node:crypto';
import { Unauthenticated } from '../../platform/errors.ts';
import type { CachedDevice, DeviceCache } from './device-cache.ts';
import type { SessionKeyRing } from './session-keys.ts';
import { openSessionToken } from './session-tokens.ts';

const secretScheme = /^Device ([0-9A-Fa-f-]{36}):(\S+)$/;
const sessionScheme = /^DeviceSession (\S+)$/;

const refused = () =>
  new Unauthenticated(
    'Send "Authorization: Device <deviceId>:<secret>" or "Authorization: DeviceSession <token>" (see docs/device-protocol.md).',
  );

function sameHash(secret: string, storedHex: string): boolean {
  const presented = crypto.createHash('sha256').update(secret, 'utf8').digest();
  const stored = Buffer.from(storedHex, 'hex');
  return stored.length === presented.length && crypto.timingSafeEqual(presented, stored);
}

export async function authenticateDevice(
  cache: DeviceCache,
  ring: SessionKeyRing,
  authorization: string | undefined,
  now: Date,
): Promise<CachedDevice> {
  if (authorization === undefined) throw refused();
  const secret = secretScheme.exec(authorization);
  if (secret) {
    const device = await cache.get(secret[1] as string);
    if (device?.credentialKind !== 'secret' || !sameHash(secret[2] as string, device.credential))
      throw refused();
    return device;
  }
  const session = sessionScheme.exec(authorization);
  if (session) {
    const deviceId = await openSessionToken(ring, session[1] as string, now);
    const device = deviceId === undefined ? undefined : await cache.get(deviceId);
    // A device removed from the registry loses its session with the cache entry.
    if (device?.credentialKind !== 'ed25519') throw refused();
    return device;
  }
  throw refused();
}

const spkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');

/** Whether `signatureHex` is the device's Ed25519 signature of the challenge's bytes. */
export function signedByDevice(device: CachedDevice, challenge: string, signatureHex: string): boolean {
  if (device.credentialKind !== 'ed25519' || !/^[0-9a-f]{128}$/i.test(signatureHex)) return false;
  const key = crypto.createPublicKey({
    key: Buffer.concat([spkiPrefix, Buffer.from(device.credential, 'hex')]),
    format: 'der',
    type: 'spki',
  });
  return crypto.verify(null, Buffer.from(challenge, 'utf8'), key, Buffer.from(signatureHex, 'hex'));
}
