// Entry point for SBOM import: bytes and a content type in, the format and a flat list of components
// out, or InvalidSbom naming the first problem with its line and column (or JSON pointer).

import { TooLarge } from '../../platform/errors.ts';
import { parseCycloneDxJson } from './cyclonedx-json.ts';
import { parseCycloneDxXml } from './cyclonedx-xml.ts';
import { formatFromContentType, jsonFormat, sniffSyntax } from './detect-format.ts';
import { InvalidSbom } from './invalid-sbom.ts';
import type { ParsedSbom } from './model.ts';
import { readJson } from './read-json.ts';
import { parseSpdxJson } from './spdx-json.ts';

export { InvalidSbom } from './invalid-sbom.ts';
export type { ParsedSbom, SbomComponent, SbomFormat, SbomHash } from './model.ts';

export type ParseSbomOptions = {
  /** The upload's Content-Type; generic or missing types are decided by looking at the content. */
  contentType?: string;
  /** Most components (nested ones included) one SBOM may list; default 50,000. */
  maxComponents?: number;
  /** Largest SBOM accepted, in bytes; default 32 MiB. */
  maxBytes?: number;
};

export const DEFAULT_MAX_COMPONENTS = 50_000;
export const DEFAULT_MAX_SBOM_BYTES = 32 * 1024 * 1024;

/**
 * Parses and validates a CycloneDX 1.4-1.6 (JSON or XML) or SPDX 2.3 (JSON) SBOM.
 * @example const sbom = await parseSbom(body, { contentType: 'application/vnd.cyclonedx+json' });
 */
export async function parseSbom(bytes: Buffer, options: ParseSbomOptions = {}): Promise<ParsedSbom> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_SBOM_BYTES;
  const maxComponents = options.maxComponents ?? DEFAULT_MAX_COMPONENTS;
  if (bytes.length > maxBytes) {
    throw new TooLarge(`The SBOM is ${bytes.length} bytes; the most one import accepts is ${maxBytes} bytes`);
  }
  const declared = formatFromContentType(options.contentType);
  const text = decodeUtf8(bytes);
  const syntax = sniffSyntax(text);
  const expected = declared === null ? syntax : declared === 'cyclonedx-xml' ? 'xml' : 'json';
  if (syntax !== expected) {
    throw new InvalidSbom(
      `the content type says ${expected.toUpperCase()}, but the file is ${syntax.toUpperCase()}`,
      {
        position: { line: 1, column: 1 },
      },
    );
  }
  if (syntax === 'xml') return parseCycloneDxXml(text, maxComponents);

  const document = readJson(text);
  const format = jsonFormat(document);
  if (declared !== null && declared !== format) {
    throw new InvalidSbom(`the content type says ${declared}, but the document is ${format}`, { path: '' });
  }
  return format === 'spdx-json'
    ? parseSpdxJson(text, document, maxComponents)
    : parseCycloneDxJson(text, document, maxComponents);
}

function decodeUtf8(bytes: Buffer): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new InvalidSbom('the file is UTF-16; save it as UTF-8', { position: { line: 1, column: 1 } });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InvalidSbom('the file is not valid UTF-8 text; save it as UTF-8');
  }
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}
