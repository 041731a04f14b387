import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, it } from 'node:test';
import {
  encodeSignedInstruction,
  type Instruction,
  instructionTime,
  type SignedInstruction,
  verifyInstruction,
} from '../../src/updates/director/instruction.ts';
import { canonicalJson } from '../../src/updates/tuf/canonical-json.ts';
import { generateTufKeyPair, tufSigner } from '../../src/updates/tuf/ed25519-keys.ts';

const director = generateTufKeyPair();
const signer = tufSigner(director.privateHex);
const now = new Date('2026-11-30T07:00:00Z');
const deviceId: string = crypto.randomUUID();
const nonce = 'n0nce-of-the-device-1';

function signed(changes: Partial<Instruction> = {}, key = signer): SignedInstruction {
  const instruction: Instruction = {
    deviceId,
    nonce,
    issuedAt: instructionTime(now),
    expiresAt: instructionTime(new Date(now.getTime() + 300_000)),
    action: 'none',
    pollSeconds: 3600,
    ...changes,
  };
  return JSON.parse(
    encodeSignedInstruction(instruction, (bytes) => {
      const signature = key.sign(bytes);
      return { keyid: signature.keyID, sig: signature.sig };
    }),
  );
}

const check = (envelope: SignedInstruction, expected = { deviceId, nonce, now }) =>
  verifyInstruction(envelope.signed, envelope.signatures[0] as never, director.publicHex, expected);

describe('verifyInstruction (what a device runs before acting)', () => {
  it('accepts an instruction for this device, this nonce, before its expiry', () => {
    assert.deepEqual(check(signed()), { ok: true });
    const install = signed({
      action: 'install',
      target: {
        path: 'cam/cam-200/3/fw.bin',
        length: 1234,
        sha256: 'a'.repeat(64),
        version: '2.0.0',
        releaseId: crypto.randomUUID(),
        mode: 'forced',
      },
    });
    assert.deepEqual(check(install), { ok: true });
  });

  it('refuses an instruction for another device', () => {
    assert.deepEqual(check(signed({ deviceId: crypto.randomUUID() })), { ok: false, reason: 'OTHER_DEVICE' });
  });

  it('refuses an instruction answering an older nonce (a replay)', () => {
    assert.deepEqual(check(signed({ nonce: 'an-earlier-nonce-0001' })), { ok: false, reason: 'STALE_NONCE' });
  });

  it('refuses an expired instruction', () => {
    const later = new Date(now.getTime() + 300_000);
    assert.deepEqual(check(signed(), { deviceId, nonce, now: later }), { ok: false, reason: 'EXPIRED' });
  });

  it('refuses a tampered instruction and one signed by another key', () => {
    const tampered = signed();
    tampered.signed.action = 'install';
    assert.deepEqual(check(tampered), { ok: false, reason: 'BAD_SIGNATURE' });
    const retargeted = signed();
    retargeted.signed.deviceId = crypto.randomUUID();
    assert.deepEqual(check(retargeted, { deviceId: retargeted.signed.deviceId, nonce, now }), {
      ok: false,
      reason: 'BAD_SIGNATURE',
    });
    const stranger = tufSigner(generateTufKeyPair().privateHex);
    assert.deepEqual(check(signed({}, stranger)), { ok: false, reason: 'BAD_SIGNATURE' });
    const forgedKeyId = signed({}, stranger);
    (forgedKeyId.signatures[0] as { keyid: string }).keyid = signer.keyId;
    assert.deepEqual(check(forgedKeyId), { ok: false, reason: 'BAD_SIGNATURE' });
    const garbled = signed();
    garbled.signed.expiresAt = 'tomorrow';
    assert.deepEqual(check(garbled), { ok: false, reason: 'MALFORMED' });
  });

  it('signs the canonical bytes, which appear verbatim in the envelope', () => {
    const text = encodeSignedInstruction(signed().signed, (bytes) => {
      const signature = signer.sign(bytes);
      return { keyid: signature.keyID, sig: signature.sig };
    });
    const signedBytes = text.slice(text.indexOf('"signed":') + '"signed":'.length, -1);
    const sig = JSON.parse(text).signatures[0].sig;
    const publicKey = crypto.createPublicKey({
      key: Buffer.concat([
        Buffer.from('302a300506032b6570032100', 'hex'),
        Buffer.from(director.publicHex, 'hex'),
      ]),
      format: 'der',
      type: 'spki',
    });
    assert.ok(crypto.verify(null, Buffer.from(signedBytes), publicKey, Buffer.from(sig, 'hex')));
    assert.ok(text.startsWith('{"signatures":[{"keyid":"'));
    assert.equal(text, canonicalJson(JSON.parse(text)), 'the whole envelope is canonical JSON');
  });
});
