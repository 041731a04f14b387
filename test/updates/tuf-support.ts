// Shared by the image repository tests: a listening product with a controllable clock, offline keys
// made in the test, the first root, a released and signed firmware file, and a real tuf-js client.
import fs from 'node:fs';
import path from 'node:path';
import { Updater } from 'tuf-js';
import { generateTufKeyPair, type TufKeyPair, tufSigner } from '../../src/updates/tuf/ed25519-keys.ts';
import { metadataVersion } from '../../src/updates/tuf/metadata-store.ts';
import { initRoot } from '../../src/updates/tuf/root.ts';
import { signTargets } from '../../src/updates/tuf/targets.ts';
import { signInAs, type TestSession } from '../support/auth.ts';
import { startTestProduct, tempDir } from '../support/product.ts';
import { createUpdatableModel, firmwareBytes, releaseFirmware, uploadFirmware } from './fixtures.ts';

export type Repository = Awaited<ReturnType<typeof startRepository>>;

/** A product serving an image repository: root 1 signed, the server's clock set by `setNow`. */
export async function startRepository(env: Record<string, string> = {}) {
  let now = Date.now();
  const product = await startTestProduct({ listen: true, clock: () => new Date(now), env });
  const analyst: TestSession = await signInAs(product, 'analyst');
  const rootKey: TufKeyPair = generateTufKeyPair();
  const targetsKey: TufKeyPair = generateTufKeyPair();
  await initRoot(product.deps, {
    rootSigners: [tufSigner(rootKey.privateHex)],
    rootKeys: [rootKey],
    threshold: 1,
    targetsKeys: env.TUF_ONLINE_TARGETS === 'true' ? [] : [targetsKey],
  });
  const model = await createUpdatableModel(analyst.inject);
  let releases = 0;
  return {
    product,
    analyst,
    rootKey,
    targetsKey,
    model,
    baseUrl: product.url as string,
    setNow(at: number) {
      now = at;
    },
    now: () => now,
    /** Uploads and releases a new firmware file for the model; answers the release and its bytes. */
    async release(size = 20_000) {
      releases++;
      const bytes = firmwareBytes(size, `release ${releases} ${process.pid}`);
      const artifact = await uploadFirmware(analyst.inject, model.id, bytes, `cam-${releases}.0.bin`);
      const release = await releaseFirmware(analyst.inject, model.id, {
        artifactId: artifact.id,
        version: `${releases}.0.0`,
        hardwareRevisions: ['A'],
        installOver: `< ${releases}.0.0`,
      });
      return { release, bytes, artifact };
    },
    /** The targets signing ceremony, as `openpsirt tuf sign-targets` runs it. */
    signTargets: () => signTargets(product.deps, [tufSigner(targetsKey.privateHex)]),
    async rootBody(version = 1) {
      const root = await metadataVersion(product.deps.db, 'root', version);
      if (!root) throw new Error(`no root version ${version}`);
      return root.body;
    },
    stop: () => product.stop(),
  };
}

export type Client = { updater: Updater; metadataDir: string; targetDir: string; dispose(): void };

/** A device's tuf-js client trusting `trustedRoot`, reading from `baseUrl` (the product or a proxy). */
export function tufClient(
  baseUrl: string,
  trustedRoot: string,
  dirs?: { metadataDir: string; targetDir: string },
) {
  const root = dirs ? undefined : tempDir('openpsirt-tuf-client-');
  const metadataDir = dirs?.metadataDir ?? path.join(root as string, 'metadata');
  const targetDir = dirs?.targetDir ?? path.join(root as string, 'targets');
  fs.mkdirSync(metadataDir, { recursive: true });
  fs.mkdirSync(targetDir, { recursive: true });
  if (!dirs) fs.writeFileSync(path.join(metadataDir, 'root.json'), trustedRoot);
  const updater = new Updater({
    metadataDir,
    metadataBaseUrl: `${baseUrl}/tuf/metadata`,
    targetDir,
    targetBaseUrl: `${baseUrl}/tuf/targets`,
    config: { fetchRetries: 0 },
  });
  return {
    updater,
    metadataDir,
    targetDir,
    /** A new Updater over the same folders: what the device does at its next check. */
    again: () => tufClient(baseUrl, trustedRoot, { metadataDir, targetDir }),
    installed: () => fs.readdirSync(targetDir),
    dispose() {
      if (root) fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
