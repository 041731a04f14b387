// Decides which SBOM format an upload is in, from its declared content type and, for generic types
// (application/json, application/xml, none), from the content itself.

import { UnsupportedMediaType } from '../../platform/errors.ts';
import { InvalidSbom } from './invalid-sbom.ts';
import type { SbomFormat } from './model.ts';

export type SbomSyntax = 'json' | 'xml';

const DECLARED: Record<string, SbomFormat> = {
  'application/vnd.cyclonedx+json': 'cyclonedx-json',
  'application/vnd.cyclonedx+xml': 'cyclonedx-xml',
  'application/spdx+json': 'spdx-json',
};
const GENERIC = new Set([
  'application/json',
  'text/json',
  'application/xml',
  'text/xml',
  'text/plain',
  'application/octet-stream',
]);
const SUPPORTED = 'CycloneDX 1.4-1.6 JSON or XML, or SPDX 2.3 JSON';

/** The format a content type names, or null for generic types that need a look at the content. */
export function formatFromContentType(contentType: string | undefined): SbomFormat | null {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType === '' || GENERIC.has(mediaType)) return null;
  const format = DECLARED[mediaType];
  if (format !== undefined) return format;
  if (
    mediaType === 'text/spdx' ||
    mediaType === 'application/spdx+xml' ||
    mediaType === 'application/rdf+xml'
  ) {
    throw new UnsupportedMediaType(`SPDX ${mediaType} is not supported; export the SBOM as ${SUPPORTED}`);
  }
  throw new UnsupportedMediaType(
    `Content type ${mediaType} is not an SBOM format we read; send ${SUPPORTED}`,
  );
}

/** JSON or XML, judged by the first character that is not whitespace. */
export function sniffSyntax(text: string): SbomSyntax {
  const first = /\S/.exec(text)?.[0];
  if (first === '{') return 'json';
  if (first === '<') return 'xml';
  if (first === undefined) throw new InvalidSbom('the file is empty');
  throw new InvalidSbom(`the file is neither JSON nor XML (it starts with "${first}"); send ${SUPPORTED}`, {
    position: { line: 1, column: 1 },
  });
}

/** Which JSON SBOM format a parsed document is: CycloneDX has "bomFormat", SPDX has "spdxVersion". */
export function jsonFormat(document: unknown): 'cyclonedx-json' | 'spdx-json' {
  if (typeof document === 'object' && document !== null && !Array.isArray(document)) {
    if ('bomFormat' in document) return 'cyclonedx-json';
    if ('spdxVersion' in document) return 'spdx-json';
  }
  throw new InvalidSbom(
    `the JSON is neither CycloneDX (no "bomFormat") nor SPDX (no "spdxVersion"); send ${SUPPORTED}`,
    { path: '' },
  );
}
