// Where the passphrase for the server's OpenPGP key comes from: configuration, or on a laptop a
// generated file in the data folder (which protects nothing against someone who can read the folder).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';

export function resolvePgpPassphrase(configured: string | undefined, dataDir: string, log: Logger): string {
  if (configured) return configured;
  const file = path.join(dataDir, 'keys', 'pgp-passphrase');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  log.warn({ file }, 'PGP_PASSPHRASE is not set: using a generated passphrase stored in the data folder');
  return fs.readFileSync(file, 'utf8').trim();
}
