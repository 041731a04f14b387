// Where firmware files live. Files are addressed by their SHA-256; a stored file is always complete
// (written under a temporary name, flushed, then renamed). The disk store is the default; an
// S3-compatible store implements the same contract.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { TooLarge } from '../../platform/errors.ts';

/** A file streamed in and hashed, not yet at its address. */
export type ReceivedArtifact = { tempPath: string; sha256: string; sha512: string; size: number };

export type ArtifactStorage = {
  /** Streams to a temporary file computing both hashes; throws TooLarge (keeping nothing) past `maxBytes`. */
  receive(stream: Readable, maxBytes: number): Promise<ReceivedArtifact>;
  /** Moves a received file to its address; an identical stored file is kept. */
  commit(file: ReceivedArtifact): Promise<void>;
  discard(file: ReceivedArtifact): Promise<void>;
  /** The stored file's size, or undefined when it is not stored. */
  size(sha256: string): Promise<number | undefined>;
  /** Bytes `start` to `end` (inclusive) of a stored file; the whole file without a range. */
  open(sha256: string, range?: { start: number; end: number }): Readable;
};

const sha256Pattern = /^[0-9a-f]{64}$/;

export class DiskArtifactStorage implements ArtifactStorage {
  readonly #root: string;
  readonly #incoming: string;

  constructor(dataDir: string) {
    this.#root = path.join(dataDir, 'artifacts');
    this.#incoming = path.join(this.#root, 'incoming');
    fs.mkdirSync(this.#incoming, { recursive: true });
  }

  async receive(stream: Readable, maxBytes: number): Promise<ReceivedArtifact> {
    const tempPath = path.join(this.#incoming, crypto.randomUUID());
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

  async commit(file: ReceivedArtifact): Promise<void> {
    const target = this.#pathOf(file.sha256);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.rename(file.tempPath, target);
    const dir = await fs.promises.open(path.dirname(target), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  async discard(file: ReceivedArtifact): Promise<void> {
    await fs.promises.rm(file.tempPath, { force: true });
  }

  async size(sha256: string): Promise<number | undefined> {
    try {
      return (await fs.promises.stat(this.#pathOf(sha256))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  open(sha256: string, range?: { start: number; end: number }): Readable {
    return fs.createReadStream(this.#pathOf(sha256), range ? { start: range.start, end: range.end } : {});
  }

  #pathOf(sha256: string): string {
    if (!sha256Pattern.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return path.join(this.#root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }
}
