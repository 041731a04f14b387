// The HMAC keys behind device session tokens and session challenges. They live in the database
// (encrypted to the server's OpenPGP key) so that every API process accepts every other's tokens,
// and rotate: new tokens are made with the newest key, a new key is made when the newest is older
// than a week, and a key verifies tokens for eight days (a week plus the longest token life).
import crypto from 'node:crypto';
import * as openpgp from 'openpgp';
import type { Deps } from '../../deps.ts';

type KeyDeps = Pick<Deps, 'db' | 'clock' | 'pgp' | 'random'>;
export type SessionKey = { keyId: string; secret: Buffer; createdAt: Date };

const day = 24 * 3600 * 1000;
export const rotateAfterMs = 7 * day;
export const acceptForMs = 8 * day;
/** Keys are re-read at most this often, and when a token names a key this process does not know. */
const reloadMs = 60_000;

export type SessionKeyRing = {
  /** The key new tokens are made with (creating one when none is young enough). */
  current(): Promise<SessionKey>;
  /** The key a token names, if it may still verify tokens. */
  find(keyId: string): Promise<SessionKey | undefined>;
};

/** Reads the keys still in use; secrets already decrypted (in `known`) are not decrypted again. */
async function loadKeys(deps: KeyDeps, known: SessionKey[]): Promise<SessionKey[]> {
  const rows = await deps.db
    .selectFrom('device_session_keys')
    .select(['key_id', 'secret_encrypted', 'created_at'])
    .where('created_at', '>', new Date(deps.clock().getTime() - acceptForMs))
    .orderBy('created_at', 'desc')
    .execute();
  return Promise.all(
    rows.map(
      async (row) =>
        known.find((key) => key.keyId === row.key_id) ?? {
          keyId: row.key_id,
          secret: Buffer.from((await deps.pgp.decrypt(row.secret_encrypted, 'sessionKey')).trim(), 'base64'),
          createdAt: row.created_at,
        },
    ),
  );
}

async function createKey(deps: KeyDeps): Promise<void> {
  const secret = deps.random(32);
  const secretEncrypted = await openpgp.encrypt({
    message: await openpgp.createMessage({ text: secret.toString('base64') }),
    encryptionKeys: await openpgp.readKey({ armoredKey: deps.pgp.publicArmored }),
    format: 'armored',
  });
  await deps.db
    .insertInto('device_session_keys')
    .values({
      key_id: deps.random(6).toString('base64url'),
      secret_encrypted: secretEncrypted,
      created_at: deps.clock(),
    })
    .execute();
  // Keys that can verify nothing any more are of no use to anyone.
  await deps.db
    .deleteFrom('device_session_keys')
    .where('created_at', '<', new Date(deps.clock().getTime() - 4 * acceptForMs))
    .execute();
}

export function sessionKeyRing(deps: KeyDeps): SessionKeyRing {
  let keys: SessionKey[] = [];
  let loadedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | undefined;

  const reload = () => {
    loading ??= loadKeys(deps, keys)
      .then((fresh) => {
        keys = fresh;
        loadedAt = deps.clock().getTime();
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };
  const stale = () => deps.clock().getTime() - loadedAt > reloadMs;
  const young = (key: SessionKey) => deps.clock().getTime() - key.createdAt.getTime() < rotateAfterMs;
  const usable = (key: SessionKey) => deps.clock().getTime() - key.createdAt.getTime() < acceptForMs;

  return {
    async current() {
      if (stale()) await reload();
      if (!keys[0] || !young(keys[0])) {
        await reload();
        // Two processes may rotate at once; both keys are valid, so the race is harmless.
        if (!keys[0] || !young(keys[0])) {
          await createKey(deps);
          await reload();
        }
      }
      const newest = keys[0];
      if (!newest) throw new Error('no device session key after creating one');
      return newest;
    },
    async find(keyId) {
      let key = keys.find((candidate) => candidate.keyId === keyId);
      if (!key && stale()) {
        await reload();
        key = keys.find((candidate) => candidate.keyId === keyId);
      }
      return key && usable(key) ? key : undefined;
    },
  };
}

/** HMAC-SHA256 of `text`, base64url. */
export const mac = (key: SessionKey, text: string) =>
  crypto.createHmac('sha256', key.secret).update(text, 'utf8').digest('base64url');
