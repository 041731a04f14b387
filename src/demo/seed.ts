// Demo data: a maker with a few connected products, so a fresh install has something to show.
import type { Kysely } from 'kysely';
import { demoPasswords, seedDemoAccounts } from '../auth/demo-accounts.ts';
import type { DB } from '../db/schema.ts';
import { seedDemoInventory } from '../inventory/demo.ts';
import type { BlobStore } from '../platform/blob-store.ts';
import { demoSupplierEmail, seedDemoSuppliers } from '../suppliers/demo.ts';

export type DemoAccount = { role: string; email: string; password: string };

export const demoProducts = [
  {
    slug: 'c200-camera',
    name: 'C200 Indoor Camera',
    description: 'Wi-Fi security camera with cloud recording',
  },
  { slug: 'l1-smart-lock', name: 'L1 Smart Lock', description: 'Bluetooth and Wi-Fi door lock' },
  {
    slug: 'd3-video-doorbell',
    name: 'D3 Video Doorbell',
    description: 'Battery doorbell with camera and chime',
  },
  { slug: 's5-smoke-alarm', name: 'S5 Smoke Alarm', description: 'Connected smoke and CO alarm' },
  { slug: 'f2-fitness-band', name: 'F2 Fitness Band', description: 'Wearable with companion phone app' },
];

/** Adds the demo data that is missing; running it twice changes nothing. */
export async function seedDemo(
  db: Kysely<DB>,
  /** Where demo SBOM files go; without it the demo firmware has no SBOMs. */
  options: { blobs?: BlobStore } = {},
): Promise<{ productsAdded: number; suppliersAdded: number; accounts: DemoAccount[] }> {
  const added = await db
    .insertInto('products')
    .values(demoProducts)
    .onConflict((oc) => oc.column('slug').doNothing())
    .returning('id')
    .execute();
  const staff = await seedDemoAccounts({ db, clock: () => new Date() });
  const { [demoSupplierEmail]: supplierPassword = '' } = await demoPasswords(db, [demoSupplierEmail]);
  const suppliers = await seedDemoSuppliers({ db, clock: () => new Date() }, supplierPassword);
  // After the suppliers: demo models are linked to the demo factory.
  await seedDemoInventory({ db, blobs: options.blobs });
  return {
    productsAdded: added.length,
    suppliersAdded: suppliers.suppliersAdded,
    accounts: [
      ...staff,
      { role: 'supplier', email: suppliers.supplierUser.email, password: suppliers.supplierUser.password },
    ],
  };
}
