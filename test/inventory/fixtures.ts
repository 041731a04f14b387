// Shared by the inventory tests: SBOM files in each supported format built from a component list,
// a supplier row, and quick ways to create products, models and firmware through the API.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { Injector } from '../support/auth.ts';
import type { startTestProduct } from '../support/product.ts';

export type TestProductHandle = Awaited<ReturnType<typeof startTestProduct>>;

export type Part = { name: string; version?: string; purl?: string; licence?: string; sha256?: string };

export function cycloneDxJson(parts: Part[], specVersion = '1.5'): string {
  return JSON.stringify(
    {
      bomFormat: 'CycloneDX',
      specVersion,
      serialNumber: `urn:uuid:${crypto.randomUUID()}`,
      version: 1,
      metadata: {
        timestamp: '2026-11-01T10:00:00Z',
        component: { type: 'firmware', name: 'test-image', version: '1.0' },
      },
      components: parts.map((part, index) => ({
        type: 'library',
        'bom-ref': `ref-${index}`,
        name: part.name,
        ...(part.version ? { version: part.version } : {}),
        ...(part.purl ? { purl: part.purl } : {}),
        ...(part.licence ? { licenses: [{ license: { id: part.licence } }] } : {}),
        ...(part.sha256 ? { hashes: [{ alg: 'SHA-256', content: part.sha256 }] } : {}),
      })),
    },
    null,
    2,
  );
}

const xmlEscape = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

export function cycloneDxXml(parts: Part[], specVersion = '1.5'): string {
  const components = parts
    .map(
      (part, index) => `    <component type="library" bom-ref="ref-${index}">
      <name>${xmlEscape(part.name)}</name>${part.version ? `\n      <version>${xmlEscape(part.version)}</version>` : ''}${
        part.licence ? `\n      <licenses><license><id>${part.licence}</id></license></licenses>` : ''
      }${part.purl ? `\n      <purl>${xmlEscape(part.purl)}</purl>` : ''}
    </component>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/${specVersion}" serialNumber="urn:uuid:${crypto.randomUUID()}" version="1">
  <components>
${components}
  </components>
</bom>
`;
}

export function spdxJson(parts: Part[]): string {
  return JSON.stringify(
    {
      spdxVersion: 'SPDX-2.3',
      dataLicense: 'CC0-1.0',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: 'test-image',
      documentNamespace: `https://example.com/spdx/test-image-${crypto.randomUUID()}`,
      creationInfo: { created: '2026-11-01T10:00:00Z', creators: ['Tool: openpsirt-tests'] },
      packages: parts.map((part, index) => ({
        SPDXID: `SPDXRef-Package-${index}`,
        name: part.name,
        ...(part.version ? { versionInfo: part.version } : {}),
        downloadLocation: 'NOASSERTION',
        filesAnalyzed: false,
        licenseConcluded: part.licence ?? 'NOASSERTION',
        ...(part.purl
          ? {
              externalRefs: [
                { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: part.purl },
              ],
            }
          : {}),
        ...(part.sha256 ? { checksums: [{ algorithm: 'SHA256', checksumValue: part.sha256 }] } : {}),
      })),
    },
    null,
    2,
  );
}

/** Inserts a supplier directly (the suppliers feature owns its API). */
export async function insertSupplier(product: TestProductHandle, slug: string): Promise<string> {
  const row = await product.deps.db
    .insertInto('suppliers')
    .values({ slug, name: `Supplier ${slug}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function linkSupplier(product: TestProductHandle, modelId: string, supplierId: string) {
  await product.deps.db
    .insertInto('model_suppliers')
    .values({ model_id: modelId, supplier_id: supplierId, relation: 'builds' })
    .execute();
}

async function created(inject: Injector, url: string, payload: object): Promise<{ id: string }> {
  const response = await inject({ method: 'POST', url, payload });
  assert.equal(response.statusCode, 201, `POST ${url}: ${response.body}`);
  return response.json() as { id: string };
}

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

export async function createProduct(inject: Injector, slug = unique('prod')) {
  return created(inject, '/api/v1/products', { slug, name: `Product ${slug}` });
}

export async function createModel(inject: Injector, productId: string, slug = unique('model')) {
  return created(inject, `/api/v1/products/${productId}/models`, { slug, name: `Model ${slug}` });
}

export async function createFirmware(inject: Injector, modelId: string, version: string) {
  return created(inject, `/api/v1/models/${modelId}/firmware`, { version });
}

export async function uploadSbom(inject: Injector, firmwareId: string, body: string, contentType: string) {
  return inject({
    method: 'PUT',
    url: `/api/v1/firmware/${firmwareId}/sbom`,
    headers: { 'content-type': contentType },
    payload: body,
  });
}
