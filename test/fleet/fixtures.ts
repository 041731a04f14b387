// Device fixtures shared by the registry and director tests: Ed25519 key pairs as devices hold them,
// and registration through the API.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { Injector } from '../support/auth.ts';

let counter = 0;
export const uniqueSerial = (prefix = 'SN') => `${prefix}-${process.pid}-${Date.now()}-${++counter}`;

export type DeviceKeyPair = { publicHex: string; privateKey: crypto.KeyObject };

export function deviceKeyPair(): DeviceKeyPair {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  return { publicHex, privateKey };
}

export const deviceSecret = () => crypto.randomBytes(24).toString('base64url');

export async function registerDevice(inject: Injector, body: Record<string, unknown>) {
  const response = await inject({ method: 'POST', url: '/api/v1/devices', payload: body });
  assert.equal(response.statusCode, 201, response.body);
  return response.json() as { id: string; serial: string; credential: { kind: string } };
}
