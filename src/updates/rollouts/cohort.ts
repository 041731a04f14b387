// Rollout cohorts are computed, not stored: each device gets a stable bucket per rollout, and a
// stage reaches the buckets under its percentage. Percentages never decrease, so a device that was
// in a stage's cohort stays in every later one.
import crypto from 'node:crypto';

export const bucketCount = 10_000;

/** 0..9999: the first 4 bytes of SHA-256(rolloutId + ':' + deviceId), big-endian, mod 10,000. */
export function cohortBucket(rolloutId: string, deviceId: string): number {
  const digest = crypto.createHash('sha256').update(`${rolloutId}:${deviceId}`).digest();
  return digest.readUInt32BE(0) % bucketCount;
}

/** Whether a device with this bucket is reached by a stage of `percent` (0..100, two decimals). */
export const inCohort = (bucket: number, percent: number) => bucket < Math.round(percent * 100);

/** The first stage whose cohort holds the bucket, or -1 when none does. */
export function firstStageOf(bucket: number, percents: readonly number[]): number {
  return percents.findIndex((percent) => inCohort(bucket, percent));
}
