// Ed25519 keys for the image repository, in the form TUF metadata names them: key type and scheme
// 'ed25519', the public key as 64 hex characters of the raw key, and the key id the SHA-256 of the
// key's canonical JSON. Private keys travel as the 32-byte seed in hex (key files, encrypted rows).
import crypto from 'node:crypto';
import { Key, Signature } from '@tufjs/models';
import { canonicalJson } from './canonical-json.ts';

export type TufPublicKey = { keyId: string; publicHex: string };
export type TufKeyPair = TufPublicKey & { privateHex: string };
export type TufSigner = { keyId: string; sign: (data: Buffer) => Signature };

const pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');
const spkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');
export const hex64 = /^[0-9a-f]{64}$/;

/** The key as it appears under `keys` in root metadata. */
export const keyDocument = (publicHex: string) => ({
  keytype: 'ed25519',
  scheme: 'ed25519',
  keyval: { public: publicHex },
});

export const keyIdOf = (publicHex: string): string =>
  crypto
    .createHash('sha256')
    .update(canonicalJson(keyDocument(publicHex)))
    .digest('hex');

export function generateTufKeyPair(): TufKeyPair {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  const privateHex = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32).toString('hex');
  const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  return { keyId: keyIdOf(publicHex), publicHex, privateHex };
}

/** The public half of a private seed (to check a key file against the key the metadata names). */
export function publicHexOf(privateHex: string): string {
  const key = crypto.createPrivateKey({
    key: Buffer.concat([pkcs8Prefix, Buffer.from(privateHex, 'hex')]),
    format: 'der',
    type: 'pkcs8',
  });
  return crypto.createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
}

export function tufKey(publicHex: string): Key {
  const document = keyDocument(publicHex);
  return new Key({
    keyID: keyIdOf(publicHex),
    keyType: document.keytype,
    scheme: document.scheme,
    keyVal: document.keyval,
  });
}

/** A signer for `Metadata.sign`. */
export function tufSigner(privateHex: string): TufSigner {
  if (!hex64.test(privateHex)) throw new Error('an Ed25519 private key is 64 hex characters');
  const key = crypto.createPrivateKey({
    key: Buffer.concat([pkcs8Prefix, Buffer.from(privateHex, 'hex')]),
    format: 'der',
    type: 'pkcs8',
  });
  const keyId = keyIdOf(publicHexOf(privateHex));
  return {
    keyId,
    sign: (data) => new Signature({ keyID: keyId, sig: crypto.sign(null, data, key).toString('hex') }),
  };
}

/** Whether `publicHex` is a valid raw Ed25519 public key. */
export function isEd25519PublicKey(publicHex: string): boolean {
  if (!hex64.test(publicHex)) return false;
  try {
    crypto.createPublicKey({
      key: Buffer.concat([spkiPrefix, Buffer.from(publicHex, 'hex')]),
      format: 'der',
      type: 'spki',
    });
    return true;
  } catch {
    return false;
  }
}
