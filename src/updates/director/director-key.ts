// The director's online signing key: generated on first need and stored like the TUF online keys
// (tuf_online_keys, role 'director', private half encrypted to the server's OpenPGP key). Each
// process decrypts it once and keeps the signer in memory: a check-in signs without a query.
import type { Deps } from '../../deps.ts';
import type { TufPublicKey, TufSigner } from '../tuf/ed25519-keys.ts';
import { ensureOnlineKey, onlineSigner } from '../tuf/online-keys.ts';

type DirectorKeyDeps = Pick<Deps, 'db' | 'clock' | 'pgp' | 'config'>;

const loaded = new WeakMap<object, Promise<{ publicKey: TufPublicKey; signer: TufSigner }>>();

export function directorKey(deps: DirectorKeyDeps): Promise<{ publicKey: TufPublicKey; signer: TufSigner }> {
  let key = loaded.get(deps.db);
  if (!key) {
    key = (async () => {
      const publicKey = await ensureOnlineKey(deps, 'director');
      return { publicKey, signer: await onlineSigner(deps, 'director') };
    })();
    // A failure (database down) must not stick: the next check-in tries again.
    key.catch(() => loaded.delete(deps.db));
    loaded.set(deps.db, key);
  }
  return key;
}
