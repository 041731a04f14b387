// Demo data: a maker with a few connected products, so a fresh install has something to show.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

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

/** Adds the demo products that are missing; running it twice changes nothing. */
export async function seedDemo(db: Kysely<DB>): Promise<{ productsAdded: number }> {
  const added = await db
    .insertInto('products')
    .values(demoProducts)
    .onConflict((oc) => oc.column('slug').doNothing())
    .returning('id')
    .execute();
  return { productsAdded: added.length };
}
