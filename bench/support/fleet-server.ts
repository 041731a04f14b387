// Child side of the fleet benchmarks: the real product with what a maker has before devices check
// in: an admin API token, a model that updates remotely, the first TUF root, a released firmware
// file signed into the image repository, and (optionally) a registered fleet written straight into
// the devices table, since importing a million devices through the API is not what is measured.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { createToken } from '../../src/auth/tokens.ts';
import { createUser } from '../../src/auth/users.ts';
import type { Product } from '../../src/server.ts';
import { generateTufKeyPair, tufSigner } from '../../src/updates/tuf/ed25519-keys.ts';
import { latestMetadata } from '../../src/updates/tuf/metadata-store.ts';
import { initRoot } from '../../src/updates/tuf/root.ts';

/** What the parent process learns about a prepared fleet server. */
export type FleetInfo = {
  token: string;
  modelId: string;
  hardwareRevision: string;
  releaseId: string;
  releaseVersion: string;
  /** Devices written by seedFleet run 1..devices; see fleetDevice. */
  devices: number;
  installedVersion: string;
};

export const fleetHardwareRevision = 'A';
export const fleetInstalledVersion = '1.0.0';

/** Device n of a seeded fleet: the same id and secret on both sides without sending a million of them. */
export function fleetDevice(n: number): { id: string; secret: string } {
  const hex = crypto.createHash('md5').update(`bench-device-${n}`).digest('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  // 32 hex characters (128 bits), as long as a real device's secret would be.
  return { id, secret: crypto.createHash('md5').update(`bench-secret-${n}`).digest('hex') };
}

export function fleetEnvironment(dataDir: string, databaseUrl: string | undefined): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl ?? '',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    PGP_PASSPHRASE: 'benchmark passphrase, not a secret',
    WORKERS: 'true',
    // The server signs targets itself, so the benchmark needs no offline ceremony.
    TUF_ONLINE_TARGETS: 'true',
  };
}

async function inject(product: Product, token: string, method: 'POST', url: string, payload: unknown) {
  const isBytes = Buffer.isBuffer(payload);
  const response = await product.app.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${token}`,
      ...(isBytes ? { 'content-type': 'application/octet-stream' } : {}),
    },
    payload: payload as never,
  });
  if (response.statusCode >= 300)
    throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json() as Record<string, unknown>;
}

/** Sets up everything but the devices; `firmwareBytes` is the size of the released file. */
export async function prepareFleetServer(
  product: Product,
  options: { firmwareBytes: number; progress: (line: string) => void },
): Promise<Omit<FleetInfo, 'devices'>> {
  const deps = product.deps;
  const admin = await createUser(
    deps,
    {
      email: 'bench-admin@example.com',
      name: 'Benchmark admin',
      role: 'admin',
      password: crypto.randomBytes(18).toString('base64url'),
    },
    'system',
  );
  const principal = {
    userId: admin.id,
    email: admin.email,
    name: admin.name,
    role: admin.role,
    supplierId: null,
    via: 'session' as const,
    tokenId: null,
  };
  const { token } = await createToken(deps, principal, { name: 'benchmark', role: 'admin' }, null);
  const rootKey = generateTufKeyPair();
  await initRoot(deps, {
    rootSigners: [tufSigner(rootKey.privateHex)],
    rootKeys: [rootKey],
    threshold: 1,
    targetsKeys: [],
  });
  const productRow = await inject(product, token, 'POST', '/api/v1/products', {
    slug: 'bench-camera',
    name: 'Benchmark camera',
  });
  const model = await inject(product, token, 'POST', `/api/v1/products/${productRow.id}/models`, {
    slug: 'c2',
    name: 'Camera C2',
    hardwareRevisions: [fleetHardwareRevision],
    remoteUpdate: true,
  });
  const modelId = model.id as string;
  const firmware = crypto.randomBytes(options.firmwareBytes);
  const artifact = await inject(
    product,
    token,
    'POST',
    `/api/v1/models/${modelId}/artifacts?fileName=camera-2.0.0.bin`,
    firmware,
  );
  const release = await inject(product, token, 'POST', `/api/v1/models/${modelId}/releases`, {
    artifactId: artifact.id,
    version: '2.0.0',
    hardwareRevisions: [fleetHardwareRevision],
    installOver: '< 2.0.0',
  });
  await untilTargetsSigned(product, options.progress);
  return {
    token,
    modelId,
    hardwareRevision: fleetHardwareRevision,
    releaseId: release.id as string,
    releaseVersion: '2.0.0',
    installedVersion: fleetInstalledVersion,
  };
}

/** The online targets key signs from a queued job; devices can only verify a release once it has. */
async function untilTargetsSigned(product: Product, progress: (line: string) => void): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const targets = await latestMetadata(product.deps.db, 'targets');
    if (targets?.body.includes('camera-2.0.0.bin')) return;
    if (Date.now() > deadline) throw new Error('the release was not signed into targets within 30 s');
    progress('waiting for the targets signature');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Writes devices 1..count (see fleetDevice) in batches, then refreshes the planner's statistics. */
export async function seedFleet(
  product: Product,
  info: Pick<FleetInfo, 'modelId' | 'hardwareRevision' | 'installedVersion'>,
  count: number,
  progress: (line: string) => void,
): Promise<void> {
  const db = product.deps.db;
  const batch = 100_000;
  for (let first = 1; first <= count; first += batch) {
    const last = Math.min(count, first + batch - 1);
    await sql`
      insert into devices (id, serial, model_id, hardware_revision, credential_kind, credential,
                           installed_version, tags, created_by)
      select md5('bench-device-' || n)::uuid, 'BENCH-' || lpad(n::text, 8, '0'), ${info.modelId}::uuid,
             ${info.hardwareRevision}, 'secret',
             encode(sha256(convert_to(md5('bench-secret-' || n), 'UTF8')), 'hex'),
             ${info.installedVersion}, '{bench}', 'benchmark'
      from generate_series(${first}::int, ${last}::int) as n`.execute(db);
    progress(`registered ${last.toLocaleString('en')} of ${count.toLocaleString('en')} devices`);
  }
  await sql`analyze devices`.execute(db);
}
