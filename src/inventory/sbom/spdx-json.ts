// SPDX 2.3 JSON SBOMs: checked against the fields we read (spdx-schema.ts), then each package becomes
// an inventory component. All packages are listed, including the one the document describes.

import { Ajv } from 'ajv';
import { TooLarge } from '../../platform/errors.ts';
import { InvalidSbom } from './invalid-sbom.ts';
import { jsonPointerOffset, positionAt } from './json-position.ts';
import type { ParsedSbom, SbomComponent } from './model.ts';
import { purlBase } from './purl-base.ts';
import { schemaError } from './read-json.ts';
import { SPDX_2_3_SCHEMA } from './spdx-schema.ts';

type SpdxPackage = {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  supplier?: string;
  licenseConcluded?: string;
  licenseDeclared?: string;
  checksums?: { algorithm: string; checksumValue: string }[];
  externalRefs?: { referenceCategory: string; referenceType: string; referenceLocator: string }[];
};
type SpdxDocument = { spdxVersion?: unknown; documentNamespace: string; packages?: SpdxPackage[] };

const validate = new Ajv({ allErrors: false }).compile(SPDX_2_3_SCHEMA);

/** Reads an SPDX JSON document already parsed from `text`. */
export function parseSpdxJson(text: string, document: unknown, maxComponents: number): ParsedSbom {
  const spdxVersion = (document as SpdxDocument).spdxVersion;
  if (spdxVersion !== 'SPDX-2.3') {
    const offset = jsonPointerOffset(text, '/spdxVersion');
    const shown = typeof spdxVersion === 'string' ? spdxVersion : 'this spdxVersion';
    throw new InvalidSbom(`${shown} is not supported; export the SBOM as SPDX-2.3 JSON`, {
      path: '/spdxVersion',
      position: offset === null ? null : positionAt(text, offset),
    });
  }
  if (!validate(document)) throw schemaError(text, validate.errors);
  const spdx = document as SpdxDocument;
  const packages = spdx.packages ?? [];
  if (packages.length > maxComponents) {
    throw new TooLarge(`The SBOM lists more than ${maxComponents} components, the most one import accepts`);
  }
  return {
    format: 'spdx-json',
    specVersion: '2.3',
    serialNumber: spdx.documentNamespace,
    components: packages.map(toSbomComponent),
  };
}

const ABSENT = new Set(['NOASSERTION', 'NONE']);

function toSbomComponent(pkg: SpdxPackage): SbomComponent {
  const purl = pkg.externalRefs?.find((ref) => ref.referenceType === 'purl')?.referenceLocator.trim() ?? null;
  const licences = [pkg.licenseConcluded, pkg.licenseDeclared]
    .map((licence) => licence?.trim())
    .filter((licence): licence is string => licence !== undefined && licence !== '' && !ABSENT.has(licence));
  const version = pkg.versionInfo?.trim();
  return {
    name: pkg.name.trim(),
    version: version === undefined || version === '' || ABSENT.has(version) ? null : version,
    purl,
    purlBase: purl === null ? null : purlBase(purl),
    supplier: supplierName(pkg.supplier),
    licences: [...new Set(licences)],
    hashes: (pkg.checksums ?? []).map((checksum) => ({
      alg: hashAlgorithm(checksum.algorithm),
      value: checksum.checksumValue.toLowerCase(),
    })),
    ref: pkg.SPDXID,
  };
}

/** "Organization: Acme (security@acme.example)" → "Acme"; NOASSERTION → null. */
function supplierName(supplier: string | undefined): string | null {
  const match = /^(?:Person|Organization):\s*(.*)$/.exec(supplier?.trim() ?? '');
  const name = match?.[1]?.replace(/\s*\([^()]*@[^()]*\)\s*$/, '').trim();
  return name === undefined || name === '' ? null : name;
}

/** SPDX spells SHA256, CycloneDX SHA-256; use the CycloneDX names so hashes compare across formats. */
function hashAlgorithm(algorithm: string): string {
  return algorithm.replace(/^SHA(1|224|256|384|512)$/, 'SHA-$1');
}
