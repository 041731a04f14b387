// The director's per-process state: the device cache, the session key ring and the last-seen
// buffer. One per server (keyed by its deps), so tests can reach it through the product's deps.
import type { Deps } from '../../deps.ts';
import { type DeviceCache, deviceCache } from './device-cache.ts';
import { type LastSeenBuffer, lastSeenBuffer } from './last-seen.ts';
import { type SessionKeyRing, sessionKeyRing } from './session-keys.ts';

export type DirectorRuntime = { cache: DeviceCache; ring: SessionKeyRing; lastSeen: LastSeenBuffer };

const runtimes = new WeakMap<Deps, DirectorRuntime>();

export function startDirectorRuntime(deps: Deps): DirectorRuntime {
  const runtime = {
    cache: deviceCache(deps.db, deps.clock),
    ring: sessionKeyRing(deps),
    lastSeen: lastSeenBuffer(deps.db, deps.log),
  };
  runtimes.set(deps, runtime);
  return runtime;
}

export function directorRuntime(deps: Deps): DirectorRuntime {
  const runtime = runtimes.get(deps);
  if (!runtime) throw new Error('the director routes are not registered on this server');
  return runtime;
}
