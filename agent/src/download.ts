// Downloads a verified target with resume: the bytes go to a partial file in the data folder that
// survives restarts; the next attempt asks only for the rest (Range) and only if the file is still
// the same (If-Range with its ETag). Nothing past the TUF length is accepted, and the finished file
// must have the TUF length and hashes before anyone may install it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TargetRefused, type VerifiedTarget } from './target-check.ts';

/** Where the consistent-snapshot file of a target is: <dir>/<sha256>.<name>. */
export function targetUrl(serverUrl: string, target: VerifiedTarget): string {
  const slash = target.path.lastIndexOf('/');
  const dir = slash >= 0 ? `${target.path.slice(0, slash)}/` : '';
  const name = target.path.slice(slash + 1);
  const encoded = `${dir}${target.hashes.sha256}.${name}`.split('/').map(encodeURIComponent).join('/');
  return `${serverUrl}/tuf/targets/${encoded}`;
}

export type Downloaded = { file: string; resumedFrom: number };

export async function downloadTarget(options: {
  serverUrl: string;
  downloadDir: string;
  target: VerifiedTarget;
}): Promise<Downloaded> {
  const { target } = options;
  fs.mkdirSync(options.downloadDir, { recursive: true });
  const base = path.join(options.downloadDir, target.hashes.sha256);
  const partial = `${base}.part`;
  const etagFile = `${base}.etag`;
  const done = `${base}.bin`;
  if (fs.existsSync(done) && (await matches(done, target))) return { file: done, resumedFrom: target.length };

  const have = fs.existsSync(partial) ? fs.statSync(partial).size : 0;
  const etag = fs.existsSync(etagFile) ? fs.readFileSync(etagFile, 'utf8') : null;
  const headers: Record<string, string> = {};
  if (have > 0 && have < target.length && etag) {
    headers.range = `bytes=${have}-`;
    headers['if-range'] = etag;
  }
  let response: Response;
  try {
    response = await fetch(targetUrl(options.serverUrl, target), { headers });
  } catch (error) {
    throw new TargetRefused('E_DOWNLOAD_NETWORK', `the download failed: ${error}`);
  }
  let offset: number;
  if (response.status === 206 && headers.range) offset = have;
  else if (response.status === 200) offset = 0;
  else throw new TargetRefused('E_DOWNLOAD_HTTP', `the server answered ${response.status}`);
  const newEtag = response.headers.get('etag');
  if (newEtag) fs.writeFileSync(etagFile, newEtag);
  else fs.rmSync(etagFile, { force: true });

  const out = fs.openSync(partial, offset === 0 ? 'w' : 'r+');
  let written = offset;
  try {
    if (offset > 0) fs.ftruncateSync(out, offset);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        // Cut off: keep what arrived for the next attempt.
        throw new TargetRefused(
          'E_DOWNLOAD_INTERRUPTED',
          `the download was cut at ${written} bytes: ${error}`,
        );
      }
      if (chunk.done) break;
      if (written + chunk.value.length > target.length) {
        await reader.cancel();
        fs.closeSync(out);
        discard(partial, etagFile);
        throw new TargetRefused(
          'E_TOO_LARGE',
          `the server sent more than the ${target.length} bytes TUF names`,
        );
      }
      fs.writeSync(out, chunk.value, 0, chunk.value.length, written);
      written += chunk.value.length;
    }
  } finally {
    try {
      fs.closeSync(out);
    } catch {
      // closed already (too large)
    }
  }
  if (written < target.length) {
    throw new TargetRefused(
      'E_DOWNLOAD_INTERRUPTED',
      `the download ended at ${written} of ${target.length} bytes`,
    );
  }
  if (!(await matches(partial, target))) {
    discard(partial, etagFile);
    throw new TargetRefused('E_HASH_MISMATCH', 'the file does not have the hashes TUF names');
  }
  fs.renameSync(partial, done);
  fs.rmSync(etagFile, { force: true });
  return { file: done, resumedFrom: offset };
}

function discard(...files: string[]) {
  for (const file of files) fs.rmSync(file, { force: true });
}

/** Length, SHA-256 and SHA-512 of the file, all three as the TUF targets metadata says. */
async function matches(file: string, target: VerifiedTarget): Promise<boolean> {
  if (fs.statSync(file).size !== target.length) return false;
  const sha256 = crypto.createHash('sha256');
  const sha512 = crypto.createHash('sha512');
  for await (const chunk of fs.createReadStream(file)) {
    sha256.update(chunk as Buffer);
    sha512.update(chunk as Buffer);
  }
  return sha256.digest('hex') === target.hashes.sha256 && sha512.digest('hex') === target.hashes.sha512;
}
