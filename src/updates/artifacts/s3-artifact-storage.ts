// Firmware files in an S3-compatible bucket (AWS S3, MinIO, Ceph, ...), addressed by SHA-256 like the
// disk store. An upload is received and hashed in a local temporary file first, so that only complete
// files of known hash and length are ever written to the bucket.
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { type ArtifactStorage, sha256Pattern } from './artifact-storage.ts';
import { type ReceivedArtifact, receiveArtifact } from './receive-artifact.ts';

export type S3Settings = {
  /** Unset: AWS S3 itself, found from the region. */
  endpoint: string | undefined;
  region: string;
  bucket: string;
  /** Prepended to every key; empty or ending with "/". */
  prefix: string;
  /** Both unset: the SDK's default credential chain (environment, profile, instance role). */
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  /** `endpoint/bucket/key` instead of `bucket.endpoint/key`, as MinIO-like servers need. */
  forcePathStyle: boolean;
};

const statusOf = (error: unknown) =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

export class S3ArtifactStorage implements ArtifactStorage {
  readonly #client: S3Client;
  readonly #settings: S3Settings;
  readonly #incoming: string;

  constructor(settings: S3Settings, dataDir: string) {
    this.#settings = settings;
    this.#incoming = path.join(dataDir, 'artifacts', 'incoming');
    fs.mkdirSync(this.#incoming, { recursive: true });
    this.#client = new S3Client({
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      ...(settings.accessKeyId && settings.secretAccessKey
        ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } }
        : {}),
      // Uploads carry the SHA-256 we computed (checked by the server where it supports checksums);
      // no streamed trailing checksums, which several S3-compatible servers store as garbage.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // A bucket that accepts the connection and then says nothing must not hang a start, an upload
      // or a device's download: give up after a minute without a byte.
      requestHandler: { connectionTimeout: 10_000, requestTimeout: 60_000 },
    });
  }

  /** Fails with a message an operator can act on when the bucket cannot be reached with these settings. */
  async checkBucket(): Promise<void> {
    const { bucket, endpoint } = this.#settings;
    try {
      await this.#client.send(new HeadBucketCommand({ Bucket: bucket }));
    } catch (error) {
      const status = statusOf(error);
      const reason =
        status === 404
          ? 'it does not exist'
          : status === 403 || status === 401
            ? 'access denied (check S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY and the bucket policy)'
            : status !== undefined
              ? `the server answered HTTP ${status}`
              : (error as Error).message || (error as Error).name;
      throw new Error(
        `S3 bucket "${bucket}" at ${endpoint ?? `AWS S3 (${this.#settings.region})`} is not reachable: ${reason}`,
      );
    }
  }

  receive(stream: Readable, maxBytes: number): Promise<ReceivedArtifact> {
    return receiveArtifact(stream, maxBytes, this.#incoming);
  }

  async commit(file: ReceivedArtifact): Promise<void> {
    if ((await this.size(file.sha256)) !== file.size) {
      const body = fs.createReadStream(file.tempPath);
      try {
        await this.#client.send(
          new PutObjectCommand({
            Bucket: this.#settings.bucket,
            Key: this.#keyOf(file.sha256),
            Body: body,
            ContentLength: file.size,
            ContentType: 'application/octet-stream',
            ChecksumSHA256: Buffer.from(file.sha256, 'hex').toString('base64'),
          }),
        );
      } finally {
        body.destroy();
      }
    }
    await fs.promises.rm(file.tempPath, { force: true });
  }

  async discard(file: ReceivedArtifact): Promise<void> {
    await fs.promises.rm(file.tempPath, { force: true });
  }

  async size(sha256: string): Promise<number | undefined> {
    try {
      const head = await this.#client.send(
        new HeadObjectCommand({ Bucket: this.#settings.bucket, Key: this.#keyOf(sha256) }),
      );
      return head.ContentLength;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /**
   * The stream is returned at once and filled when the bucket answers; a failed request (a missing
   * object included) becomes an error of the stream, as a vanished file does for the disk store.
   */
  open(sha256: string, range?: { start: number; end: number }): Readable {
    const out = new PassThrough();
    const request = new AbortController();
    // A client that goes away before the bucket answers cancels the request; afterwards, the
    // pipeline ends the body with the stream.
    const cancel = () => request.abort();
    out.once('close', cancel);
    const command = new GetObjectCommand({
      Bucket: this.#settings.bucket,
      Key: this.#keyOf(sha256),
      ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
    });
    this.#client
      .send(command, { abortSignal: request.signal })
      .then((answer) => {
        out.off('close', cancel);
        return pipeline(answer.Body as Readable, out);
      })
      .catch((error: unknown) => out.destroy(error as Error));
    return out;
  }

  #keyOf(sha256: string): string {
    if (!sha256Pattern.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return `${this.#settings.prefix}sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
  }
}
