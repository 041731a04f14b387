// Receiving a firmware upload, shared by every artifact store: the body is streamed to a temporary
// file while both hashes are computed, so a file is only stored once its SHA-256 (its address) is known.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { TooLarge } from '../../platform/errors.ts';

/** A file streamed in and hashed, not yet at its address. */
export type ReceivedArtifact = { tempPath: string; sha256: string; sha512: string; size: number };

/**
 * Streams `stream` to a new file in `incomingDir` (flushed to disk), hashing it with SHA-256 and
 * SHA-512; throws TooLarge, keeping nothing, as soon as more than `maxBytes` arrive.
 */
export async function receiveArtifact(
  stream: Readable,
  maxBytes: number,
  incomingDir: string,
): Promise<ReceivedArtifact> {
  const tempPath = path.join(incomingDir, crypto.randomUUID());
  const sha256 = crypto.createHash('sha256');
  const sha512 = crypto.createHash('sha512');
  const handle = await fs.promises.open(tempPath, 'w', 0o600);
  let size = 0;
  try {
    // Stopping early must not destroy the request: the client still gets its 413 answer.
    for await (const chunk of stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) throw new TooLarge(`The file is larger than the limit of ${maxBytes} bytes.`);
      sha256.update(chunk);
      sha512.update(chunk);
      await handle.write(chunk);
    }
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.promises.rm(tempPath, { force: true });
    throw error;
  }
  await handle.close();
  return { tempPath, sha256: sha256.digest('hex'), sha512: sha512.digest('hex'), size };
}
