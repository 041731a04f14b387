// What an imported SBOM boils down to for the inventory: its format and the components it lists.

export type SbomFormat = 'cyclonedx-json' | 'cyclonedx-xml' | 'spdx-json';

export type SbomHash = { alg: string; value: string };

export type SbomComponent = {
  name: string;
  version: string | null;
  purl: string | null;
  /** Normalised "pkg:type/namespace/name" without version, qualifiers and subpath (see purl-base.ts). */
  purlBase: string | null;
  supplier: string | null;
  licences: string[];
  hashes: SbomHash[];
  /** bom-ref (CycloneDX) or SPDXID (SPDX). */
  ref: string | null;
};

export type ParsedSbom = {
  format: SbomFormat;
  specVersion: string;
  /** CycloneDX serialNumber, or SPDX documentNamespace. */
  serialNumber: string | null;
  components: SbomComponent[];
};
