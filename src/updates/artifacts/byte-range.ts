// Which bytes of a stored file a request asks for (RFC 9110, section 14): one range per response.
// Several ranges at once are answered with the whole file, which the RFC allows.

export type ByteRangeAnswer =
  | { kind: 'full' }
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

const single = /^bytes=(\d*)-(\d*)$/;

/**
 * Reads a Range header against a file of `size` bytes. A header that is not a byte range we can
 * parse is ignored (the whole file), as the RFC asks; a well-formed range that starts past the end
 * is unsatisfiable (416).
 */
export function byteRangeOf(header: string | undefined, size: number): ByteRangeAnswer {
  if (header === undefined) return { kind: 'full' };
  const match = single.exec(header.trim().replace(/\s+/g, ''));
  if (!match) return { kind: 'full' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    // The last N bytes.
    const suffix = Number(last);
    if (suffix === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (end < start) return { kind: 'full' };
  return { kind: 'partial', start, end };
}
