// Reads a multipart/form-data request at the HTTP edge: text fields into a record, files streamed
// into the blob store's incoming folder with every limit enforced while the bytes arrive.
import path from 'node:path';
import type { MultipartFile, MultipartValue } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { BlobStore } from '../platform/blob-store.ts';
import { Invalid, TooLarge, UnsupportedMediaType } from '../platform/errors.ts';
import type { IncomingFile } from './service.ts';

export type UploadLimits = {
  maxAttachments: number;
  maxAttachmentBytes: number;
  maxTotalAttachmentBytes: number;
  maxFieldBytes: number;
};

const mib = (bytes: number) => `${Math.round((bytes / 1048576) * 10) / 10} MiB`;

/** Keeps a file name displayable and harmless: no path, no control or bidi characters, bounded length. */
export function sanitizeFileName(name: string): string {
  const base = path.posix.basename(name.replaceAll('\\', '/'));
  const cleaned = base
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/[^\p{L}\p{N} ._()+-]/gu, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 120);
  return cleaned === '' ? 'attachment' : cleaned;
}

function declaredType(mimetype: string): string {
  return /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i.test(mimetype)
    ? mimetype.toLowerCase()
    : 'application/octet-stream';
}

export async function readMultipart(
  request: FastifyRequest,
  blobs: BlobStore,
  options: {
    fileField: string;
    textFields: Set<string>;
    limits: UploadLimits;
    /** Filled as text parts arrive, so a caller still has what was typed when a later part fails. */
    fields?: Record<string, string>;
  },
): Promise<{ fields: Record<string, string>; files: IncomingFile[] }> {
  const { limits } = options;
  const fields: Record<string, string> = options.fields ?? {};
  const files: IncomingFile[] = [];
  let total = 0;
  try {
    const parts = request.parts({
      limits: {
        files: limits.maxAttachments,
        fileSize: limits.maxAttachmentBytes,
        fieldSize: limits.maxFieldBytes,
        fields: options.textFields.size + 5,
        parts: options.textFields.size + limits.maxAttachments + 5,
      },
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        const file = part as MultipartFile;
        if (file.fieldname !== options.fileField) {
          file.file.resume();
          throw new Invalid({
            [file.fieldname]: `is not a file field; send files as "${options.fileField}"`,
          });
        }
        const received = await blobs.receive(
          file.file,
          Math.min(limits.maxAttachmentBytes, limits.maxTotalAttachmentBytes - total),
          () =>
            total + limits.maxAttachmentBytes > limits.maxTotalAttachmentBytes
              ? `Attachments are too large: at most ${mib(limits.maxTotalAttachmentBytes)} in all`
              : `Attachment "${sanitizeFileName(file.filename)}" is too large: at most ${mib(limits.maxAttachmentBytes)} each`,
        );
        // A browser sends an empty part for a file input left empty.
        if (received.size === 0 && file.filename === '') {
          await blobs.discard([received]);
          continue;
        }
        total += received.size;
        files.push({
          ...received,
          fileName: sanitizeFileName(file.filename),
          declaredType: declaredType(file.mimetype),
        });
      } else {
        const value = part as MultipartValue<unknown>;
        if (!options.textFields.has(value.fieldname)) {
          throw new Invalid({ [value.fieldname]: 'is not a field of this form' });
        }
        if (value.valueTruncated) {
          throw new TooLarge(`Field ${value.fieldname} is too large: at most ${limits.maxFieldBytes} bytes`);
        }
        fields[value.fieldname] = browserText(String(value.value));
      }
    }
  } catch (error) {
    await blobs.discard(files);
    throw translateMultipartError(error, limits);
  }
  return { fields, files };
}

function translateMultipartError(error: unknown, limits: UploadLimits): unknown {
  const code = (error as { code?: string }).code;
  if (code === 'FST_FILES_LIMIT')
    return new TooLarge(`Too many attachments: at most ${limits.maxAttachments}`);
  if (code === 'FST_REQ_FILE_TOO_LARGE')
    return new TooLarge(`An attachment is too large: at most ${mib(limits.maxAttachmentBytes)} each`);
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') return new TooLarge('Too many form fields');
  if (error instanceof Error && /Unexpected end|Malformed|boundary|multipart/i.test(error.message)) {
    return new Invalid({}, `The multipart body is malformed: ${error.message}`);
  }
  return error;
}

/** A urlencoded body as a record of known text fields; repeated or unknown fields are refused. */
export function readUrlencodedFields(body: unknown, known: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  const errors: Record<string, string> = {};
  for (const [name, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (!known.has(name)) errors[name] = 'is not a field of this form';
    else if (typeof value !== 'string') errors[name] = 'was sent more than once';
    else out[name] = browserText(value);
  }
  if (Object.keys(errors).length > 0) throw new Invalid(errors);
  return out;
}

/** Browsers send line breaks in form fields as CRLF (HTML's form encoding); store them as LF like the JSON API. */
const browserText = (value: string) => value.replaceAll('\r\n', '\n');

/**
 * A message posted either as JSON (its string members named in `textFields`) or as multipart/form-data
 * with those text parts and files; anything else is refused with 415. The caller discards the files
 * when what follows fails.
 */
export async function readJsonOrMultipart(
  request: FastifyRequest,
  blobs: BlobStore,
  options: { fileField: string; textFields: Set<string>; limits: UploadLimits },
): Promise<{ fields: Record<string, string>; files: IncomingFile[] }> {
  if (request.isMultipart()) return readMultipart(request, blobs, options);
  if (request.headers['content-type']?.startsWith('application/json')) {
    const body = request.body as Record<string, unknown>;
    const fields: Record<string, string> = {};
    for (const name of options.textFields) {
      const value = body[name];
      if (typeof value === 'string') fields[name] = value;
    }
    return { fields, files: [] };
  }
  throw new UnsupportedMediaType('Send the message as application/json or multipart/form-data');
}
