// SQL for the image repository: signed metadata files (the exact bytes) and the online keys.
import type { Db } from '../../db/database.ts';

export type TufRole = 'root' | 'targets' | 'snapshot' | 'timestamp';
// 'director' is not a TUF role: the director's instruction key (src/updates/director) is kept the same way.
export type OnlineRole = 'targets' | 'snapshot' | 'timestamp' | 'director';
export type StoredMetadata = { role: TufRole; version: number; body: string; expiresAt: Date };

const columns = ['role', 'version', 'body', 'expires_at'] as const;
const fromRow = (row: {
  role: TufRole;
  version: number;
  body: string;
  expires_at: Date;
}): StoredMetadata => ({
  role: row.role,
  version: row.version,
  body: row.body,
  expiresAt: row.expires_at,
});

export async function latestMetadata(db: Db, role: TufRole): Promise<StoredMetadata | undefined> {
  const row = await db
    .selectFrom('tuf_metadata')
    .select(columns)
    .where('role', '=', role)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && fromRow(row);
}

export async function metadataVersion(
  db: Db,
  role: TufRole,
  version: number,
): Promise<StoredMetadata | undefined> {
  const row = await db
    .selectFrom('tuf_metadata')
    .select(columns)
    .where('role', '=', role)
    .where('version', '=', version)
    .executeTakeFirst();
  return row && fromRow(row);
}

export async function allMetadata(db: Db): Promise<StoredMetadata[]> {
  const rows = await db
    .selectFrom('tuf_metadata')
    .select(columns)
    .orderBy('role')
    .orderBy('version')
    .execute();
  return rows.map(fromRow);
}

/** Stores a signed file; false when that version exists already (another process signed it first). */
export async function insertMetadata(db: Db, file: StoredMetadata): Promise<boolean> {
  const inserted = await db
    .insertInto('tuf_metadata')
    .values({ role: file.role, version: file.version, body: file.body, expires_at: file.expiresAt })
    .onConflict((oc) => oc.columns(['role', 'version']).doNothing())
    .returning('version')
    .executeTakeFirst();
  return inserted !== undefined;
}

export type StoredOnlineKey = {
  role: OnlineRole;
  keyId: string;
  publicHex: string;
  privateEncrypted: string;
};

export async function findOnlineKey(db: Db, role: OnlineRole): Promise<StoredOnlineKey | undefined> {
  const row = await db
    .selectFrom('tuf_online_keys')
    .select(['role', 'key_id', 'public_hex', 'private_encrypted'])
    .where('role', '=', role)
    .executeTakeFirst();
  return (
    row && {
      role: row.role,
      keyId: row.key_id,
      publicHex: row.public_hex,
      privateEncrypted: row.private_encrypted,
    }
  );
}

/** Inserts unless another process got there first. */
export async function insertOnlineKeyOnce(db: Db, key: StoredOnlineKey): Promise<void> {
  await db
    .insertInto('tuf_online_keys')
    .values({
      role: key.role,
      key_id: key.keyId,
      public_hex: key.publicHex,
      private_encrypted: key.privateEncrypted,
    })
    .onConflict((oc) => oc.column('role').doNothing())
    .execute();
}

export type RetiredOnlineKey = { keyId: string; publicHex: string; createdAt: Date };

/**
 * Puts a new key in the role's place (a rotation); answers the key it replaced. The table holds one key
 * per role: the retired key's id and public half live on in the root versions that name it and in the
 * audit entry of the rotation; its private half is dropped, so the server can no longer sign with it.
 */
export async function replaceOnlineKey(
  db: Db,
  key: StoredOnlineKey,
  now: Date,
): Promise<RetiredOnlineKey | undefined> {
  const retired = await db
    .selectFrom('tuf_online_keys')
    .select(['key_id', 'public_hex', 'created_at'])
    .where('role', '=', key.role)
    .forUpdate()
    .executeTakeFirst();
  await db.deleteFrom('tuf_online_keys').where('role', '=', key.role).execute();
  await db
    .insertInto('tuf_online_keys')
    .values({
      role: key.role,
      key_id: key.keyId,
      public_hex: key.publicHex,
      private_encrypted: key.privateEncrypted,
      created_at: now,
    })
    .execute();
  return retired && { keyId: retired.key_id, publicHex: retired.public_hex, createdAt: retired.created_at };
}
