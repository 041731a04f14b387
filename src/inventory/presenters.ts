// Rows of the inventory store turned into the shapes of the HTTP API (camelCase, ISO dates); the
// TypeBox schemas of the same shapes sit beside them so the two cannot drift apart.
import { Type } from '@fastify/type-provider-typebox';
import type { ComponentRow, SearchHitRow } from './component-store.ts';
import type { FirmwareRow, ModelRow, ProductRow, SbomSummaryRow } from './store.ts';

const DateOrNull = Type.Union([Type.String({ format: 'date' }), Type.Null()]);
const Id = Type.String({ format: 'uuid' });

export const ProductView = Type.Object({
  id: Id,
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  modelCount: Type.Integer({ description: 'Models you can see' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const presentProduct = (row: ProductRow) => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  description: row.description,
  modelCount: row.model_count,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

const SupplierRelation = Type.Union([Type.Literal('builds'), Type.Literal('supplies-parts')]);

export const ModelView = Type.Object({
  id: Id,
  product: Type.Object({ id: Id, slug: Type.String(), name: Type.String() }),
  slug: Type.String(),
  name: Type.String(),
  hardwareRevisions: Type.Array(Type.String()),
  remoteUpdate: Type.Boolean({ description: 'Can be updated over the air' }),
  supportEnds: Type.Union([Type.String({ format: 'date' }), Type.Null()], {
    description: 'Last day of the security-support period',
  }),
  firmwareCount: Type.Integer(),
  suppliers: Type.Array(
    Type.Object({ id: Id, slug: Type.String(), name: Type.String(), relation: SupplierRelation }),
  ),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const presentModel = (row: ModelRow) => ({
  id: row.id,
  product: { id: row.product_id, slug: row.product_slug, name: row.product_name },
  slug: row.slug,
  name: row.name,
  hardwareRevisions: row.hardware_revisions,
  remoteUpdate: row.remote_update,
  supportEnds: row.support_ends,
  firmwareCount: row.firmware_count,
  suppliers: row.suppliers,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

const SbomFormat = Type.Union([
  Type.Literal('cyclonedx-json'),
  Type.Literal('cyclonedx-xml'),
  Type.Literal('spdx-json'),
]);

export const SbomView = Type.Object({
  format: SbomFormat,
  specVersion: Type.String(),
  serialNumber: Type.Union([Type.String(), Type.Null()]),
  sha256: Type.String({ description: 'SHA-256 of the file as uploaded' }),
  size: Type.Integer({ description: 'Bytes' }),
  componentCount: Type.Integer(),
  uploadedBy: Type.String(),
  uploadedAt: Type.String({ format: 'date-time' }),
});

export const presentSbom = (row: SbomSummaryRow) => ({
  format: row.format,
  specVersion: row.spec_version,
  serialNumber: row.serial_number,
  sha256: row.sha256,
  size: row.size,
  componentCount: row.component_count,
  uploadedBy: row.uploaded_by_label,
  uploadedAt: row.uploaded_at.toISOString(),
});

export const FirmwareView = Type.Object({
  id: Id,
  product: Type.Object({ id: Id, slug: Type.String(), name: Type.String() }),
  model: Type.Object({ id: Id, slug: Type.String(), name: Type.String() }),
  version: Type.String(),
  releaseDate: DateOrNull,
  notes: Type.String(),
  sbom: Type.Union([SbomView, Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const presentFirmware = (row: FirmwareRow) => ({
  id: row.id,
  product: { id: row.product_id, slug: row.product_slug, name: row.product_name },
  model: { id: row.model_id, slug: row.model_slug, name: row.model_name },
  version: row.version,
  releaseDate: row.release_date,
  notes: row.notes,
  sbom: row.sbom && presentSbom(row.sbom),
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

const Hash = Type.Object({ alg: Type.String(), value: Type.String() });
const NullableText = Type.Union([Type.String(), Type.Null()]);

export const ComponentView = Type.Object({
  name: Type.String(),
  version: NullableText,
  purl: NullableText,
  supplier: NullableText,
  licences: Type.Array(Type.String()),
  hashes: Type.Array(Hash),
  ref: Type.Union([Type.String({ description: 'bom-ref or SPDXID in the SBOM' }), Type.Null()]),
});

export const presentComponent = (row: ComponentRow) => ({
  name: row.name,
  version: row.version,
  purl: row.purl,
  supplier: row.supplier,
  licences: row.licences,
  hashes: row.hashes,
  ref: row.bom_ref,
});

export const SearchHitView = Type.Object({
  firmware: Type.Object({ id: Id, version: Type.String(), releaseDate: DateOrNull }),
  model: Type.Object({ id: Id, slug: Type.String(), name: Type.String() }),
  product: Type.Object({ id: Id, slug: Type.String(), name: Type.String() }),
  components: Type.Array(Type.Object({ name: Type.String(), version: NullableText, purl: NullableText }), {
    description: 'The components of this firmware that match',
  }),
});

export const presentSearchHit = (row: SearchHitRow) => ({
  firmware: { id: row.firmware_id, version: row.version, releaseDate: row.release_date },
  model: { id: row.model_id, slug: row.model_slug, name: row.model_name },
  product: { id: row.product_id, slug: row.product_slug, name: row.product_name },
  components: row.components,
});
