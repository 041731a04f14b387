// Content-addressed file storage on disk: files are named by their SHA-256, written to a temporary
// name first, flushed, then renamed into place, so a stored blob is always complete.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { TooLarge } from './errors.ts';

export type ReceivedFile = { tempPath: string; sha256: string; size: number };

export class BlobStore {
  readonly #root: string;
  readonly #incoming: string;

  constructor(dataDir: string) {
    this.#root = path.join(dataDir, 'blobs');
    this.#incoming = path.join(this.#root, 'incoming');
    fs.mkdirSync(this.#incoming, { recursive: true });
  }

  /** Streams to a temporary file while hashing; throws TooLarge (and removes it) past `maxBytes`. */
  async receive(stream: Readable, maxBytes: number, onTooLarge: () => string): Promise<ReceivedFile> {
    const tempPath = path.join(this.#incoming, crypto.randomUUID());
    const hash = crypto.createHash('sha256');
    const handle = await fs.promises.open(tempPath, 'w', 0o600);
    let size = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBytes) throw new TooLarge(onTooLarge());
        hash.update(chunk);
        await handle.write(chunk);
      }
      // Busboy marks a part cut at its own limit instead of failing the stream.
      if ((stream as Readable & { truncated?: boolean }).truncated) throw new TooLarge(onTooLarge());
      await handle.sync();
    } catch (error) {
      await handle.close();
      await fs.promises.rm(tempPath, { force: true });
      throw error;
    }
    await handle.close();
    return { tempPath, sha256: hash.digest('hex'), size };
  }

  /** Moves a received file to its content address; an identical blob already stored is kept. */
  async commit(file: ReceivedFile): Promise<void> {
    const target = this.pathOf(file.sha256);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.rename(file.tempPath, target);
    const dir = await fs.promises.open(path.dirname(target), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  async discard(files: ReceivedFile[]): Promise<void> {
    await Promise.all(files.map((file) => fs.promises.rm(file.tempPath, { force: true })));
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return path.join(this.#root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** Bytes `start` to `end` (inclusive) of a stored blob; the whole blob without a range. */
  open(sha256: string, range?: { start: number; end: number }): fs.ReadStream {
    return fs.createReadStream(this.pathOf(sha256), range ? { start: range.start, end: range.end } : {});
  }

  async read(sha256: string): Promise<Buffer> {
    return fs.promises.readFile(this.pathOf(sha256));
  }
}
