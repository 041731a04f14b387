// Sending a stored, content-addressed file over HTTP: a strong ETag from its SHA-256, conditional
// requests (If-None-Match, If-Range) and one byte range, so a device can resume a dropped download.
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { byteRangeOf } from '../updates/artifacts/byte-range.ts';

export type StoredFile = {
  sha256: string;
  size: number;
  contentType: string;
  /** Sent as an attachment with this name; omitted for files fetched by machines (TUF targets). */
  downloadName?: string;
  cacheControl: string;
  open: (range?: { start: number; end: number }) => Readable;
};

/**
 * `attachment` with an ASCII fallback name and the exact name in RFC 5987 form; quotes, backslashes,
 * semicolons and control characters cannot break out of the header value.
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;]/g, '_');
  const exact = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

const etagsIn = (header: string) => header.split(',').map((tag) => tag.trim().replace(/^W\//, ''));

export function sendStoredFile(request: FastifyRequest, reply: FastifyReply, file: StoredFile): FastifyReply {
  const etag = `"${file.sha256}"`;
  reply
    .header('etag', etag)
    .header('accept-ranges', 'bytes')
    .header('cache-control', file.cacheControl)
    .header('x-content-type-options', 'nosniff');
  if (file.downloadName !== undefined)
    reply.header('content-disposition', contentDisposition(file.downloadName));

  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined && (ifNoneMatch.trim() === '*' || etagsIn(ifNoneMatch).includes(etag))) {
    return reply.code(304).send();
  }
  // A Range is honoured only if the client's copy is this very file.
  const ifRange = request.headers['if-range'];
  const rangeHeader =
    ifRange === undefined || String(ifRange).trim() === etag ? request.headers.range : undefined;
  const range = byteRangeOf(rangeHeader, file.size);
  if (range.kind === 'unsatisfiable') {
    return reply
      .code(416)
      .header('content-range', `bytes */${file.size}`)
      .type('application/json; charset=utf-8')
      .send({
        error: 'RANGE_NOT_SATISFIABLE',
        message: `The range starts past the end: the file has ${file.size} bytes.`,
      });
  }
  reply.type(file.contentType);
  if (range.kind === 'partial') {
    return reply
      .code(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${file.size}`)
      .header('content-length', String(range.end - range.start + 1))
      .send(file.open({ start: range.start, end: range.end }));
  }
  return reply.header('content-length', String(file.size)).send(file.open());
}
