// Demo inventory: models with hardware revisions and firmware lines in semver, vendor-build and date
// schemes for the demo products, links to the demo factory (slug acme-manufacturing, seeded by the
// suppliers feature), and CycloneDX SBOMs for a few firmware versions so a component search has
// something to find. Adds only what is missing; running it twice changes nothing.
import type { Kysely } from 'kysely';
import type { DB, SupplierRelation } from '../db/schema.ts';
import type { BlobStore } from '../platform/blob-store.ts';
import { linkModelSupplier } from './model-supplier-links.ts';
import { storeSbom } from './sbom-service.ts';
import * as store from './store.ts';
import { versionSortKey } from './versions/version-order.ts';

export const demoFactorySlug = 'acme-manufacturing';

type Library = [name: string, version: string, purl: string, licence: string];

const cameraLibraries: Library[] = [
  ['linux', '5.10.186', 'pkg:generic/linux@5.10.186', 'GPL-2.0-only'],
  ['busybox', '1.36.1', 'pkg:generic/busybox@1.36.1', 'GPL-2.0-only'],
  ['openssl', '3.0.2', 'pkg:generic/openssl@3.0.2', 'Apache-2.0'],
  ['zlib', '1.2.13', 'pkg:generic/zlib@1.2.13', 'Zlib'],
  ['curl', '8.4.0', 'pkg:generic/curl@8.4.0', 'curl'],
  ['dropbear', '2022.83', 'pkg:generic/dropbear@2022.83', 'MIT'],
  ['wpa_supplicant', '2.10', 'pkg:generic/wpa_supplicant@2.10', 'BSD-3-Clause'],
  ['libjpeg-turbo', '2.1.5', 'pkg:github/libjpeg-turbo/libjpeg-turbo@2.1.5', 'BSD-3-Clause'],
  ['live555', '2023.05.10', 'pkg:generic/live555@2023.05.10', 'LGPL-3.0-or-later'],
  ['mbedtls', '2.28.5', 'pkg:github/mbed-tls/mbedtls@2.28.5', 'Apache-2.0'],
];

const lockLibraries: Library[] = [
  ['freertos-kernel', '10.5.1', 'pkg:github/freertos/freertos-kernel@10.5.1', 'MIT'],
  ['lwip', '2.1.3', 'pkg:github/lwip-tcpip/lwip@2.1.3', 'BSD-3-Clause'],
  ['mbedtls', '3.4.1', 'pkg:github/mbed-tls/mbedtls@3.4.1', 'Apache-2.0'],
  ['nimble', '1.5.0', 'pkg:github/apache/mynewt-nimble@1.5.0', 'Apache-2.0'],
  ['esp-idf', '5.1.2', 'pkg:github/espressif/esp-idf@5.1.2', 'Apache-2.0'],
  ['cjson', '1.7.16', 'pkg:github/davegamble/cjson@1.7.16', 'MIT'],
];

type DemoModel = {
  product: string;
  slug: string;
  name: string;
  hardwareRevisions: string[];
  remoteUpdate: boolean;
  supportEnds: string | null;
  supplier: SupplierRelation | null;
  firmware: Array<{ version: string; releaseDate: string; libraries?: Library[] }>;
};

const upgraded = (libraries: Library[], name: string, version: string): Library[] =>
  libraries.map((library) =>
    library[0] === name ? [name, version, library[2].replace(/@.*$/, `@${version}`), library[3]] : library,
  );

const demoModels: DemoModel[] = [
  {
    product: 'c200-camera',
    slug: 'c200',
    name: 'C200 Indoor Camera',
    hardwareRevisions: ['A', 'B'],
    remoteUpdate: true,
    supportEnds: '2029-12-31',
    supplier: 'builds',
    firmware: [
      { version: '1.0.0', releaseDate: '2024-03-04' },
      { version: '1.1.0', releaseDate: '2024-09-16', libraries: cameraLibraries },
      { version: '1.2.0-rc.1', releaseDate: '2025-02-03' },
      {
        version: '1.2.0',
        releaseDate: '2025-02-24',
        libraries: upgraded(cameraLibraries, 'openssl', '3.0.7'),
      },
      {
        version: '1.2.1',
        releaseDate: '2025-10-06',
        libraries: upgraded(cameraLibraries, 'openssl', '3.0.13'),
      },
    ],
  },
  {
    product: 'l1-smart-lock',
    slug: 'l1-eu',
    name: 'L1 Smart Lock (EU)',
    hardwareRevisions: ['1.0', '1.1'],
    remoteUpdate: true,
    supportEnds: '2030-06-30',
    supplier: 'builds',
    firmware: [
      { version: 'V2.0.0_build1001', releaseDate: '2024-05-20' },
      { version: 'V2.1.0_build1234', releaseDate: '2024-11-11', libraries: lockLibraries },
      {
        version: 'V2.1.0_build1240',
        releaseDate: '2024-12-02',
        libraries: upgraded(lockLibraries, 'mbedtls', '3.5.2'),
      },
      { version: 'V2.2.0_build1302', releaseDate: '2025-07-14' },
    ],
  },
  {
    product: 'd3-video-doorbell',
    slug: 'd3-gen1',
    name: 'D3 Video Doorbell, first generation',
    hardwareRevisions: ['R1'],
    remoteUpdate: false,
    supportEnds: '2025-06-30',
    supplier: 'supplies-parts',
    firmware: [
      { version: '20231105', releaseDate: '2023-11-05' },
      { version: '20240214', releaseDate: '2024-02-14' },
    ],
  },
  {
    product: 's5-smoke-alarm',
    slug: 's5',
    name: 'S5 Smoke Alarm',
    hardwareRevisions: ['2'],
    remoteUpdate: true,
    supportEnds: '2034-12-31',
    supplier: null,
    firmware: [
      { version: '3.4', releaseDate: '2025-01-15' },
      { version: '3.5', releaseDate: '2025-08-01' },
    ],
  },
];

function cycloneDx(model: DemoModel, version: string, libraries: Library[]): Buffer {
  const bom = {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    version: 1,
    metadata: { component: { type: 'firmware', name: model.name, version } },
    components: libraries.map(([name, libraryVersion, purl, licence]) => ({
      type: name === 'linux' || name === 'freertos-kernel' ? 'operating-system' : 'library',
      'bom-ref': purl,
      name,
      version: libraryVersion,
      purl,
      licenses: [{ license: { id: licence } }],
    })),
  };
  return Buffer.from(JSON.stringify(bom, null, 2));
}

/** Adds the demo models, firmware, supplier links and SBOMs that are missing. */
export async function seedDemoInventory(deps: {
  db: Kysely<DB>;
  blobs?: BlobStore | undefined;
}): Promise<{ modelsAdded: number; firmwareAdded: number; sbomsAdded: number }> {
  const counts = { modelsAdded: 0, firmwareAdded: 0, sbomsAdded: 0 };
  const suppliers = await store.findSupplierIdsBySlug(deps.db, [demoFactorySlug]);
  const factory = suppliers.get(demoFactorySlug);
  for (const demo of demoModels) {
    const productId = await store.findProductIdBySlug(deps.db, demo.product);
    if (!productId) continue;
    let modelId = await store.findModelIdBySlug(deps.db, productId, demo.slug);
    if (!modelId) {
      modelId = await store.insertModel(deps.db, productId, demo);
      counts.modelsAdded++;
    }
    if (factory && demo.supplier) {
      await linkModelSupplier(deps.db, { modelId, supplierId: factory, relation: demo.supplier });
    }
    for (const firmware of demo.firmware) {
      let firmwareId = await store.findFirmwareIdByVersion(deps.db, modelId, firmware.version);
      if (!firmwareId) {
        firmwareId = await store.insertFirmware(deps.db, modelId, {
          version: firmware.version,
          versionKey: versionSortKey(firmware.version),
          releaseDate: firmware.releaseDate,
          notes: '',
        });
        counts.firmwareAdded++;
      }
      if (!deps.blobs || !firmware.libraries) continue;
      const existing = await store.findFirmware(deps.db, firmwareId, null);
      if (existing?.sbom) continue;
      const body = cycloneDx(demo, firmware.version, firmware.libraries);
      await storeSbom(
        { db: deps.db, blobs: deps.blobs, clock: () => new Date() },
        firmwareId,
        { body, contentType: 'application/vnd.cyclonedx+json' },
        'system',
        body.length,
      );
      counts.sbomsAdded++;
    }
  }
  return counts;
}
