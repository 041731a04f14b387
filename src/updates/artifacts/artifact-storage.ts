// Where firmware files live. Files are addressed by their SHA-256; a stored file is always complete
// (written under a temporary name, flushed, then renamed). The disk store is the default; an
// S3-compatible store implements the same contract.
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { type ReceivedArtifact, receiveArtifact } from './receive-artifact.ts';

export type ArtifactStorage = {
  /** Streams to a temporary file computing both hashes; throws TooLarge (keeping nothing) past `maxBytes`. */
  receive(stream: Readable, maxBytes: number): Promise<ReceivedArtifact>;
  /** Moves a received file to its address; an identical stored file is kept. */
  commit(file: ReceivedArtifact): Promise<void>;
  discard(file: ReceivedArtifact): Promise<void>;
  /** The stored file's size, or undefined when it is not stored. */
  size(sha256: string): Promise<number | undefined>;
  /**
   * Bytes `start` to `end` (inclusive) of a stored file; the whole file without a range. The stream
   * may be filled later (S3): a missing file or a failed read is an error of the stream.
   */
  open(sha256: string, range?: { start: number; end: number }): Readable;
};

export const sha256Pattern = /^[0-9a-f]{64}$/;

export class DiskArtifactStorage implements ArtifactStorage {
  readonly #root: string;
  readonly #incoming: string;

  constructor(dataDir: string) {
    this.#root = path.join(dataDir, 'artifacts');
    this.#incoming = path.join(this.#root, 'incoming');
    fs.mkdirSync(this.#incoming, { recursive: true });
  }

  receive(stream: Readable, maxBytes: number): Promise<ReceivedArtifact> {
    return receiveArtifact(stream, maxBytes, this.#incoming);
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
