// The rollouts that offer their release (running or completed), compiled for check-ins and kept in process: reloaded when older than a few
// seconds, and at once after a command or job of this process changed a rollout. Other processes
// see a change within `refreshMs`. Also remembers the offers this process has recorded, so that a
// device that checks in again while it installs does not write again.
import { loadResponsePolicy } from '../../cases/clocks/response-policy.ts';
import type { Db } from '../../db/database.ts';
import type { Deps } from '../../deps.ts';
import { compileDeviceMatcher, type DeviceMatcher } from './device-match.ts';
import type { Rollout } from './store.ts';
import { runningRollouts } from './store.ts';

export const refreshMs = 5_000;

export type CompiledRollout = Rollout & {
  matches: DeviceMatcher;
  targetPath: string;
  length: number;
  sha256: string;
  releaseCounter: number;
};

export type RunningRollouts = { rollouts: CompiledRollout[]; makerZone: string };

export type RolloutCache = {
  get(): Promise<RunningRollouts>;
  invalidate(): void;
  /** True the first time this process sees the offer (then the caller records it). */
  firstOffer(rolloutId: string, deviceId: string): boolean;
  /** After recording the offer failed: the next check-in tries again. */
  forgetOffer(rolloutId: string, deviceId: string): void;
};

const caches = new WeakMap<object, RolloutCache>();
const maxRememberedOffers = 500_000;

async function load(db: Db): Promise<RunningRollouts> {
  const rows = await runningRollouts(db);
  const rollouts = rows.map((row) => ({
    ...row,
    matches: compileDeviceMatcher(
      {
        modelId: row.modelId,
        version: row.releaseVersion,
        hardwareRevisions: row.hardwareRevisions,
        installOver: row.installOver,
      },
      row.selector,
    ),
  }));
  // Newest release first, so a device selected by two rollouts is offered the newer firmware.
  rollouts.sort((a, b) => b.releaseCounter - a.releaseCounter);
  const policy = await loadResponsePolicy(db);
  return { rollouts, makerZone: policy.timeZone || 'UTC' };
}

function createCache(db: Db): RolloutCache {
  let current: { value: Promise<RunningRollouts>; loadedAt: number } | undefined;
  let offers = new Set<string>();
  return {
    get() {
      const now = performance.now();
      if (!current || now - current.loadedAt > refreshMs) {
        const value = load(db);
        current = { value, loadedAt: now };
        value.catch(() => {
          if (current?.value === value) current = undefined;
        });
      }
      return current.value;
    },
    invalidate() {
      current = undefined;
    },
    firstOffer(rolloutId, deviceId) {
      const key = `${rolloutId}:${deviceId}`;
      if (offers.has(key)) return false;
      if (offers.size >= maxRememberedOffers) offers = new Set();
      offers.add(key);
      return true;
    },
    forgetOffer(rolloutId, deviceId) {
      offers.delete(`${rolloutId}:${deviceId}`);
    },
  };
}

/** The cache of this server (one per deps). */
export function rolloutCache(deps: Pick<Deps, 'db'>): RolloutCache {
  let cache = caches.get(deps.db as object);
  if (!cache) {
    cache = createCache(deps.db);
    caches.set(deps.db as object, cache);
  }
  return cache;
}
