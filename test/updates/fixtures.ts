// Shared by the release and image repository tests: a model with hardware revisions, a firmware
// file uploaded for it, and a release of that file.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createProduct } from '../inventory/fixtures.ts';
import type { Injector } from '../support/auth.ts';

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

/** Deterministic bytes that look like nothing in particular. */
export function firmwareBytes(size: number, seed: string): Buffer {
  const out = Buffer.alloc(size);
  let block = crypto.createHash('sha256').update(seed).digest();
  for (let offset = 0; offset < size; offset += block.length) {
    block.copy(out, offset);
    block = crypto.createHash('sha256').update(block).digest();
  }
  return out;
}

export async function createUpdatableModel(inject: Injector, hardwareRevisions = ['A', 'B']) {
  const { id: productId } = await createProduct(inject);
  const slug = unique('cam');
  const response = await inject({
    method: 'POST',
    url: `/api/v1/products/${productId}/models`,
    payload: { slug, name: `Camera ${slug}`, hardwareRevisions, remoteUpdate: true },
  });
  assert.equal(response.statusCode, 201, response.body);
  const model = response.json();
  return { id: model.id as string, slug, productSlug: model.product.slug as string };
}

export async function uploadFirmware(inject: Injector, modelId: string, bytes: Buffer, fileName: string) {
  const response = await inject({
    method: 'POST',
    url: `/api/v1/models/${modelId}/artifacts?fileName=${encodeURIComponent(fileName)}`,
    headers: { 'content-type': 'application/octet-stream' },
    payload: bytes,
  });
  assert.ok([200, 201].includes(response.statusCode), response.body);
  return response.json() as { id: string; sha256: string; sha512: string; size: number };
}

export async function releaseFirmware(
  inject: Injector,
  modelId: string,
  input: { artifactId: string; version: string; hardwareRevisions?: string[]; installOver?: string },
) {
  const response = await inject({
    method: 'POST',
    url: `/api/v1/models/${modelId}/releases`,
    payload: { hardwareRevisions: ['A'], installOver: '*', ...input },
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}
