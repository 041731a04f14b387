// JSON schema for the parts of an SPDX 2.3 JSON document we rely on, written from the SPDX 2.3
// specification (clauses 6 and 7): required document fields, and the package fields we read.
// Other fields are left to the generator; a document that is wrong only elsewhere still imports.

const CHECKSUM_ALGORITHMS = [
  'SHA1',
  'SHA224',
  'SHA256',
  'SHA384',
  'SHA512',
  'SHA3-256',
  'SHA3-384',
  'SHA3-512',
  'BLAKE2b-256',
  'BLAKE2b-384',
  'BLAKE2b-512',
  'BLAKE3',
  'MD2',
  'MD4',
  'MD5',
  'MD6',
  'ADLER32',
];

const spdxPackage = {
  type: 'object',
  required: ['SPDXID', 'name', 'downloadLocation'],
  properties: {
    SPDXID: { type: 'string', pattern: '^SPDXRef-[A-Za-z0-9.\\-]+$' },
    name: { type: 'string', minLength: 1 },
    versionInfo: { type: 'string' },
    downloadLocation: { type: 'string', minLength: 1 },
    supplier: { type: 'string', pattern: '^(NOASSERTION|(Person|Organization):\\s*\\S.*)$' },
    licenseConcluded: { type: 'string', minLength: 1 },
    licenseDeclared: { type: 'string', minLength: 1 },
    checksums: {
      type: 'array',
      items: {
        type: 'object',
        required: ['algorithm', 'checksumValue'],
        properties: {
          algorithm: { enum: CHECKSUM_ALGORITHMS },
          checksumValue: { type: 'string', pattern: '^[0-9a-fA-F]+$' },
        },
      },
    },
    externalRefs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['referenceCategory', 'referenceType', 'referenceLocator'],
        properties: {
          referenceCategory: {
            enum: [
              'SECURITY',
              'PACKAGE-MANAGER',
              'PACKAGE_MANAGER',
              'PERSISTENT-ID',
              'PERSISTENT_ID',
              'OTHER',
            ],
          },
          referenceType: { type: 'string', minLength: 1 },
          referenceLocator: { type: 'string', minLength: 1 },
        },
      },
    },
  },
};

export const SPDX_2_3_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['spdxVersion', 'dataLicense', 'SPDXID', 'name', 'documentNamespace', 'creationInfo'],
  properties: {
    spdxVersion: { const: 'SPDX-2.3' },
    dataLicense: { const: 'CC0-1.0' },
    SPDXID: { const: 'SPDXRef-DOCUMENT' },
    name: { type: 'string' },
    documentNamespace: { type: 'string', pattern: '^[a-zA-Z][a-zA-Z0-9+.\\-]*:[^#\\s]+$' },
    creationInfo: {
      type: 'object',
      required: ['created', 'creators'],
      properties: {
        created: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$' },
        creators: {
          type: 'array',
          minItems: 1,
          items: { type: 'string', pattern: '^(Person|Organization|Tool):\\s*\\S' },
        },
      },
    },
    packages: { type: 'array', items: spdxPackage },
  },
} as const;
