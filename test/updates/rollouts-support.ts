// Shared by the rollout tests: a simulated fleet registered through the import API, and devices
// that check in and report over HTTP as real ones do.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { Instruction } from '../../src/updates/director/instruction.ts';
import { deviceSecret } from '../fleet/fixtures.ts';
import type { Injector } from '../support/auth.ts';
import type { startTestProduct } from '../support/product.ts';

type Product = Awaited<ReturnType<typeof startTestProduct>>;

export type SimDevice = {
  id: string;
  serial: string;
  secret: string;
  hardwareRevision: string;
  version: string;
  region: string | null;
};

let fleets = 0;

/** Registers `count` devices of each kind in one import; answers them with their ids and secrets. */
export async function registerFleet(
  product: Product,
  inject: Injector,
  modelId: string,
  kinds: { count: number; hardwareRevision: string; version: string; region?: string; tags?: string[] }[],
): Promise<SimDevice[]> {
  fleets++;
  const specs = kinds.flatMap((kind, k) =>
    Array.from({ length: kind.count }, (_, i) => ({
      serial: `SIM-${process.pid}-${fleets}-${k}-${i}`,
      model: modelId,
      hardwareRevision: kind.hardwareRevision,
      installedVersion: kind.version,
      secret: deviceSecret(),
      region: kind.region ?? null,
      tags: kind.tags ?? [],
    })),
  );
  const response = await inject({
    method: 'POST',
    url: '/api/v1/devices/import',
    payload: { devices: specs },
  });
  assert.equal(response.statusCode, 200, response.body);
  assert.equal(response.json().created, specs.length);
  const rows = await product.deps.db
    .selectFrom('devices')
    .select(['id', 'serial'])
    .where(
      'serial',
      'in',
      specs.map((spec) => spec.serial),
    )
    .execute();
  const ids = new Map(rows.map((row) => [row.serial, row.id]));
  return specs.map((spec) => ({
    id: ids.get(spec.serial) as string,
    serial: spec.serial,
    secret: spec.secret,
    hardwareRevision: spec.hardwareRevision,
    version: spec.installedVersion,
    region: spec.region,
  }));
}

export async function checkIn(product: Product, device: SimDevice): Promise<Instruction> {
  const response = await product.app.inject({
    method: 'POST',
    url: '/device/v1/check-in',
    headers: { authorization: `Device ${device.id}:${device.secret}` },
    payload: { installedVersion: device.version, nonce: crypto.randomBytes(16).toString('base64url') },
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json().signed as Instruction;
}

export async function report(
  product: Product,
  device: SimDevice,
  at: Date,
  events: { kind: string; releaseId?: string; version?: string; errorCode?: string }[],
): Promise<void> {
  const response = await product.app.inject({
    method: 'POST',
    url: '/device/v1/reports',
    headers: { authorization: `Device ${device.id}:${device.secret}` },
    payload: { events: events.map((event) => ({ ...event, at: at.toISOString() })) },
  });
  assert.equal(response.statusCode, 200, response.body);
}

/** A device that follows its instruction: downloads, installs (or fails to) and reports each step. */
export async function followInstruction(
  product: Product,
  device: SimDevice,
  instruction: Instruction,
  at: Date,
  outcome: 'installed' | 'install-failed',
): Promise<void> {
  const target = instruction.target;
  assert.ok(target, 'an install instruction names a target');
  const releaseId = target.releaseId;
  await report(product, device, at, [
    { kind: 'download-started', releaseId },
    { kind: 'download-finished', releaseId },
    outcome === 'installed'
      ? { kind: 'install-succeeded', releaseId, version: target.version }
      : { kind: 'install-failed', releaseId, errorCode: 'FLASH_VERIFY' },
  ]);
  if (outcome === 'installed') {
    await report(product, device, at, [{ kind: 'running', releaseId, version: target.version }]);
    device.version = target.version;
  }
}
