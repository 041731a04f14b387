// Offline key files: `openpsirt tuf keygen` writes a private key file (mode 0600, for the key holder
// only) and its public key file; the ceremonies read them. The server process never reads them.
import fs from 'node:fs';
import path from 'node:path';
import { Invalid } from '../../platform/errors.ts';
import {
  generateTufKeyPair,
  hex64,
  isEd25519PublicKey,
  keyIdOf,
  publicHexOf,
  type TufKeyPair,
  type TufPublicKey,
} from './ed25519-keys.ts';

export type OfflineRole = 'root' | 'targets';

export function writeKeyFiles(
  dir: string,
  role: OfflineRole,
): { privateFile: string; publicFile: string; keyId: string } {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pair = generateTufKeyPair();
  const stem = path.join(dir, `${role}-${pair.keyId.slice(0, 12)}`);
  const document = { role, keytype: 'ed25519', scheme: 'ed25519', keyid: pair.keyId };
  const privateFile = `${stem}.key.json`;
  const publicFile = `${stem}.pub.json`;
  fs.writeFileSync(
    privateFile,
    `${JSON.stringify({ ...document, keyval: { public: pair.publicHex, private: pair.privateHex } }, null, 2)}\n`,
    { mode: 0o600, flag: 'wx' },
  );
  fs.writeFileSync(
    publicFile,
    `${JSON.stringify({ ...document, keyval: { public: pair.publicHex } }, null, 2)}\n`,
    {
      mode: 0o644,
      flag: 'wx',
    },
  );
  return { privateFile, publicFile, keyId: pair.keyId };
}

function readKeyDocument(
  file: string,
  field: string,
): { role?: unknown; keyval?: { public?: unknown; private?: unknown } } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Invalid({
      [field]: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Invalid({ [field]: `${file} is not a key file written by "openpsirt tuf keygen"` });
  }
}

/** A public key file (or a private one: its public half); checks the key is an Ed25519 key. */
export function readPublicKeyFile(file: string, field: string): TufPublicKey {
  const publicHex = readKeyDocument(file, field).keyval?.public;
  if (typeof publicHex !== 'string' || !isEd25519PublicKey(publicHex)) {
    throw new Invalid({ [field]: `${file} holds no Ed25519 public key` });
  }
  return { keyId: keyIdOf(publicHex), publicHex };
}

/** A private key file; checks that its public half matches the private key. */
export function readPrivateKeyFile(file: string, field: string, role?: OfflineRole): TufKeyPair {
  const document = readKeyDocument(file, field);
  const privateHex = document.keyval?.private;
  if (typeof privateHex !== 'string' || !hex64.test(privateHex)) {
    throw new Invalid({ [field]: `${file} holds no private key (is it the .pub.json file?)` });
  }
  const publicHex = publicHexOf(privateHex);
  if (document.keyval?.public !== publicHex)
    throw new Invalid({ [field]: `${file} is damaged: its two halves do not match` });
  if (role && document.role !== role)
    throw new Invalid({ [field]: `${file} is a ${String(document.role)} key, not a ${role} key` });
  return { keyId: keyIdOf(publicHex), publicHex, privateHex };
}
