// SQL for the server's own keys.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

export type StoredKey = { fingerprint: string; publicArmored: string; privateArmored: string };

export async function findKey(db: Kysely<DB>, purpose: string): Promise<StoredKey | undefined> {
  const row = await db
    .selectFrom('server_keys')
    .select(['fingerprint', 'public_armored', 'private_armored'])
    .where('purpose', '=', purpose)
    .executeTakeFirst();
  return (
    row && {
      fingerprint: row.fingerprint,
      publicArmored: row.public_armored,
      privateArmored: row.private_armored,
    }
  );
}

/** Inserts unless another process got there first; returns the key that is now stored. */
export async function insertKeyOnce(db: Kysely<DB>, purpose: string, key: StoredKey): Promise<StoredKey> {
  await db
    .insertInto('server_keys')
    .values({
      purpose,
      fingerprint: key.fingerprint,
      public_armored: key.publicArmored,
      private_armored: key.privateArmored,
    })
    .onConflict((oc) => oc.column('purpose').doNothing())
    .execute();
  const stored = await findKey(db, purpose);
  if (!stored) throw new Error(`server key ${purpose} vanished after insert`);
  return stored;
}
