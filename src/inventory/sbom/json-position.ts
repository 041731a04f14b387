// Finds where in a JSON text something is wrong, so an uploader is told "line 12, column 7" rather than
// just "invalid JSON": the first syntax error, and where the value at a JSON pointer starts.
// Only used on the error path; JSON.parse does the real parsing.

import type { SbomPosition } from './invalid-sbom.ts';

export type JsonSyntaxError = { offset: number; reason: string };

class SyntaxAt extends Error {
  readonly offset: number;
  constructor(offset: number, reason: string) {
    super(reason);
    this.offset = offset;
  }
}

const MAX_DEPTH = 5000;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function positionAt(text: string, offset: number): SbomPosition {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function skipWhitespace(text: string, at: number): number {
  let i = at;
  while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  return i;
}

function skipString(text: string, start: number): number {
  let at = start + 1;
  for (;;) {
    if (at >= text.length) throw new SyntaxAt(at, 'the text ends inside a string; a closing " is missing');
    const c = text.charCodeAt(at);
    if (c === 0x22) return at + 1;
    if (c < 0x20) throw new SyntaxAt(at, 'a string contains a raw control character (line break or tab)');
    if (c === 0x5c) {
      const escaped = text.charAt(at + 1);
      if (escaped === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6)))
          throw new SyntaxAt(at, 'a \\u escape needs 4 hex digits');
        at += 6;
        continue;
      }
      if (!'"\\/bfnrt'.includes(escaped) || escaped === '')
        throw new SyntaxAt(at, `"\\${escaped}" is not a JSON escape`);
      at += 2;
      continue;
    }
    at++;
  }
}

function skipValue(text: string, start: number, depth: number): number {
  if (depth > MAX_DEPTH) throw new SyntaxAt(start, 'the JSON is nested too deeply');
  const c = text.charAt(start);
  if (c === '{' || c === '[') return skipContainer(text, start, depth);
  if (c === '"') return skipString(text, start);
  if (c === '-' || (c >= '0' && c <= '9')) {
    NUMBER.lastIndex = start;
    if (!NUMBER.test(text)) throw new SyntaxAt(start, 'this is not a valid number');
    return NUMBER.lastIndex;
  }
  for (const literal of ['true', 'false', 'null']) {
    if (c !== literal.charAt(0)) continue;
    for (let i = 1; i < literal.length; i++) {
      if (text.charAt(start + i) !== literal.charAt(i))
        throw new SyntaxAt(start + i, `expected "${literal}"`);
    }
    return start + literal.length;
  }
  if (start >= text.length)
    throw new SyntaxAt(start, 'the text ends where a value was expected (truncated file?)');
  throw new SyntaxAt(
    start,
    `expected a value (object, array, string, number, true, false or null), found "${c}"`,
  );
}

function skipContainer(text: string, start: number, depth: number): number {
  const isObject = text.charAt(start) === '{';
  const close = isObject ? '}' : ']';
  let at = skipWhitespace(text, start + 1);
  if (text.charAt(at) === close) return at + 1;
  for (;;) {
    if (isObject) at = skipMemberName(text, at);
    at = skipWhitespace(text, skipValue(text, at, depth + 1));
    const next = text.charAt(at);
    if (next === close) return at + 1;
    if (next !== ',') {
      if (at >= text.length)
        throw new SyntaxAt(at, `the text ends before the closing "${close}" (truncated file?)`);
      throw new SyntaxAt(at, `expected "," or "${close}", found "${next}"`);
    }
    at = skipWhitespace(text, at + 1);
  }
}

function skipMemberName(text: string, at: number): number {
  if (text.charAt(at) !== '"') {
    if (at >= text.length)
      throw new SyntaxAt(at, 'the text ends where a property name was expected (truncated file?)');
    throw new SyntaxAt(at, `expected a property name in double quotes, found "${text.charAt(at)}"`);
  }
  const afterName = skipWhitespace(text, skipString(text, at));
  if (text.charAt(afterName) !== ':') throw new SyntaxAt(afterName, 'expected ":" after the property name');
  return skipWhitespace(text, afterName + 1);
}

/** The first syntax error of a JSON text, or null when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  try {
    const end = skipWhitespace(text, skipValue(text, skipWhitespace(text, 0), 0));
    if (end < text.length)
      return { offset: end, reason: 'unexpected text after the end of the JSON document' };
    return null;
  } catch (error) {
    if (error instanceof SyntaxAt) return { offset: error.offset, reason: error.message };
    throw error;
  }
}

/** Offset where the value at a JSON pointer (RFC 6901, e.g. "/components/3/version") starts, if it exists. */
export function jsonPointerOffset(text: string, pointer: string): number | null {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map(unescapePointer);
  try {
    let at = skipWhitespace(text, 0);
    for (const segment of segments) {
      const found = findChild(text, at, segment);
      if (found === null) return null;
      at = found;
    }
    return at;
  } catch (error) {
    if (error instanceof SyntaxAt) return null;
    throw error;
  }
}

function unescapePointer(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

function findChild(text: string, start: number, segment: string): number | null {
  const open = text.charAt(start);
  if (open !== '{' && open !== '[') return null;
  let at = skipWhitespace(text, start + 1);
  for (let index = 0; text.charAt(at) !== '}' && text.charAt(at) !== ']'; index++) {
    let matches = String(index) === segment;
    if (open === '{') {
      const nameEnd = skipString(text, at);
      matches = JSON.parse(text.slice(at, nameEnd)) === segment;
      at = skipMemberName(text, at);
    }
    if (matches) return at;
    at = skipWhitespace(text, skipValue(text, at, 0));
    if (text.charAt(at) === ',') at = skipWhitespace(text, at + 1);
    else if (text.charAt(at) !== '}' && text.charAt(at) !== ']') return null;
  }
  return null;
}
