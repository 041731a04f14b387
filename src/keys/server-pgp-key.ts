// The server's OpenPGP key pair: researchers encrypt reports to it, and it signs security.txt.
// Generated on first start and stored in the database (private half encrypted with a passphrase),
// so every API process behind a load balancer uses the same key.
import type { Kysely } from 'kysely';
import * as openpgp from 'openpgp';
import type { DB } from '../db/schema.ts';
import { Invalid } from '../platform/errors.ts';
import { findKey, insertKeyOnce } from './store.ts';

const PURPOSE = 'openpgp';

export type ServerPgpKey = {
  fingerprint: string;
  publicArmored: string;
  /** Throws Invalid on `field` when the text is not a message this key can decrypt. */
  decrypt(armored: string, field: string): Promise<string>;
  signCleartext(text: string): Promise<string>;
};

export async function loadServerPgpKey(
  db: Kysely<DB>,
  options: { passphrase: string; userId: { name: string; email: string } },
): Promise<ServerPgpKey> {
  let stored = await findKey(db, PURPOSE);
  if (!stored) {
    const generated = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [options.userId],
      passphrase: options.passphrase,
      format: 'armored',
    });
    const key = await openpgp.readKey({ armoredKey: generated.publicKey });
    stored = await insertKeyOnce(db, PURPOSE, {
      fingerprint: key.getFingerprint().toUpperCase(),
      publicArmored: generated.publicKey,
      privateArmored: generated.privateKey,
    });
  }
  let privateKey: openpgp.PrivateKey;
  try {
    privateKey = await openpgp.decryptKey({
      privateKey: await openpgp.readPrivateKey({ armoredKey: stored.privateArmored }),
      passphrase: options.passphrase,
    });
  } catch (error) {
    throw new Error(
      `The server OpenPGP key cannot be unlocked with the configured PGP_PASSPHRASE (${(error as Error).message})`,
    );
  }
  const ownKeyIds = new Set(privateKey.getKeyIDs().map((id) => id.toHex()));
  const publicUrlHint = 'the key published at /.well-known/openpgp-key.asc';

  return {
    fingerprint: stored.fingerprint,
    publicArmored: stored.publicArmored,
    async decrypt(armored, field) {
      let message: openpgp.Message<string>;
      try {
        message = await openpgp.readMessage({ armoredMessage: armored });
      } catch {
        throw new Invalid({ [field]: 'is marked as encrypted but is not an ASCII-armored OpenPGP message' });
      }
      const recipients = message.getEncryptionKeyIDs().map((id) => id.toHex());
      if (!recipients.some((id) => ownKeyIds.has(id))) {
        throw new Invalid({
          [field]: `is encrypted to another key (${recipients.join(', ') || 'a passphrase'}); encrypt it to ${publicUrlHint}`,
        });
      }
      try {
        const { data } = await openpgp.decrypt({ message, decryptionKeys: privateKey });
        return data;
      } catch (error) {
        throw new Invalid({ [field]: `could not be decrypted: ${(error as Error).message}` });
      }
    },
    async signCleartext(text) {
      const message = await openpgp.createCleartextMessage({ text });
      return openpgp.sign({ message, signingKeys: privateKey });
    },
  };
}
