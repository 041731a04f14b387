// The one place where the director decides what a device should install: the newest rollout offering
// (running or completed) whose selector, current stage cohort and maintenance window include the
// device names its target.
// A check-in costs a cache lookup and a hash per running rollout of the device's model; the only
// write is the first offer of a rollout to a device.
import type { Deps } from '../../deps.ts';
import { cohortBucket, inCohort } from '../rollouts/cohort.ts';
import { inMaintenanceWindow } from '../rollouts/maintenance-window.ts';
import { rolloutCache } from '../rollouts/running-cache.ts';
import { recordOffer } from '../rollouts/store.ts';
import type { Target } from './instruction.ts';

/** What the director knows of a device when it checks in (from the in-process device cache). */
export type DirectorDevice = {
  id: string;
  serial: string;
  modelId: string;
  hardwareRevision: string;
  /** As reported in this check-in. */
  installedVersion: string;
  tags: string[];
  region: string | null;
};

export type DecideDeps = Pick<Deps, 'db' | 'clock'>;

/** The target the device should install now, or null for nothing. */
export async function decideInstruction(deps: DecideDeps, device: DirectorDevice): Promise<Target | null> {
  const cache = rolloutCache(deps);
  const { rollouts, makerZone } = await cache.get();
  const now = deps.clock();
  for (const rollout of rollouts) {
    if (rollout.modelId !== device.modelId || !rollout.matches(device)) continue;
    const stage = rollout.stages[rollout.currentStage];
    if (!stage || !inCohort(cohortBucket(rollout.id, device.id), stage.percent)) continue;
    if (!inMaintenanceWindow(rollout.maintenanceWindow, now, device.region ?? makerZone)) continue;
    if (cache.firstOffer(rollout.id, device.id)) {
      try {
        await recordOffer(deps.db, {
          rolloutId: rollout.id,
          deviceId: device.id,
          stage: rollout.currentStage,
          at: now,
        });
      } catch (error) {
        cache.forgetOffer(rollout.id, device.id);
        throw error;
      }
    }
    return {
      path: rollout.targetPath,
      length: rollout.length,
      sha256: rollout.sha256,
      version: rollout.releaseVersion,
      releaseId: rollout.releaseId,
      mode: rollout.mode,
    };
  }
  return null;
}
