// The image repository's background work: an hourly check that re-signs the online roles (snapshot,
// timestamp) well before they expire, and, with TUF_ONLINE_TARGETS, signing new targets metadata
// after a release is created or withdrawn.
import type { Db } from '../../db/database.ts';
import type { Deps } from '../../deps.ts';
import { enqueue } from '../../queue/queue.ts';
import type { JobHandler } from '../../queue/workers.ts';
import { releasesToSign } from '../releases/store.ts';
import { dueForResigning, parseTargets } from './metadata-files.ts';
import { findOnlineKey, latestMetadata } from './metadata-store.ts';
import { onlineSigner, type TufDeps } from './online-keys.ts';
import { refreshOnlineRoles } from './online-roles.ts';
import { signTargets } from './targets.ts';

export const TUF_ONLINE_REFRESH = 'TUF_ONLINE_REFRESH';
export const TUF_SIGN_TARGETS = 'TUF_SIGN_TARGETS';
export const onlineRefreshIntervalMs = 60 * 60_000;

/** Queues the check of the hour after `after` (or the current one); once per hour, whoever queues it. */
export async function scheduleOnlineRefresh(db: Db, now: Date, after = false): Promise<void> {
  const slot = Math.floor(now.getTime() / onlineRefreshIntervalMs) * onlineRefreshIntervalMs;
  const runAt = new Date(after ? slot + onlineRefreshIntervalMs : slot);
  await enqueue(db, {
    type: TUF_ONLINE_REFRESH,
    payload: {},
    idempotencyKey: `tuf-online-refresh:${runAt.toISOString()}`,
    runAt,
  });
}

/** With the targets key online: queues signing the targets metadata again (in the caller's transaction). */
export async function queueOnlineTargetsSigning(db: Db, now: Date): Promise<void> {
  await enqueue(db, { type: TUF_SIGN_TARGETS, payload: {}, runAt: now });
}

// Jobs of one batch run concurrently: the signing work of this process runs one job at a time, so
// two jobs due together do not both sign a new version (another process may still race; the result
// is then one redundant version, never a wrong one).
let signingTail: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const run = signingTail.then(work, work);
  signingTail = run.catch(() => undefined);
  return run;
}

const offlineWarningMs = 30 * 24 * 60 * 60_000;

/** Offline roles cannot be re-signed by the server: say so in the log a month before they expire. */
async function warnAboutOfflineExpiry(deps: TufDeps & Pick<Deps, 'log'>, now: Date): Promise<void> {
  const roles = deps.config.tufOnlineTargets ? (['root'] as const) : (['root', 'targets'] as const);
  for (const role of roles) {
    const latest = await latestMetadata(deps.db, role);
    if (latest && latest.expiresAt.getTime() - now.getTime() < offlineWarningMs) {
      deps.log.warn(
        { role, version: latest.version, expiresAt: latest.expiresAt.toISOString() },
        `TUF ${role} metadata expires soon: devices will refuse the repository unless a ceremony signs a new version (openpsirt tuf ${role === 'root' ? 'rotate-root' : 'sign-targets'})`,
      );
    }
  }
}

/**
 * Signs targets with the online key (TUF_ONLINE_TARGETS only) when the releases to serve differ from
 * the latest targets metadata, or when that is due for re-signing.
 */
async function signOnlineTargetsIfNeeded(deps: TufDeps): Promise<void> {
  if (!deps.config.tufOnlineTargets || !(await findOnlineKey(deps.db, 'targets'))) return;
  if (!(await latestMetadata(deps.db, 'root'))) return;
  const wanted = (await releasesToSign(deps.db)).map((release) => release.target_path).sort();
  const latest = await latestMetadata(deps.db, 'targets');
  const signed = latest ? Object.keys(parseTargets(latest.body).signed.targets).sort() : undefined;
  const due = latest ? dueForResigning(latest.expiresAt, 'targets', deps.clock()) : true;
  if (signed && signed.join('\n') === wanted.join('\n') && !due) return;
  await signTargets(deps, [await onlineSigner(deps, 'targets')], 'system');
}

/** The TUF_ONLINE_REFRESH job: queues the next check, then re-signs what is due. */
export const onlineRefreshJob =
  (deps: TufDeps & Pick<Deps, 'log'>): JobHandler =>
  async () => {
    const now = deps.clock();
    await scheduleOnlineRefresh(deps.db, now, true);
    await oneAtATime(async () => {
      await signOnlineTargetsIfNeeded(deps);
      await refreshOnlineRoles(deps);
    });
    await warnAboutOfflineExpiry(deps, now);
  };

/** The TUF_SIGN_TARGETS job, queued with a release created or withdrawn under TUF_ONLINE_TARGETS. */
export const onlineTargetsJob =
  (deps: TufDeps): JobHandler =>
  async () => {
    await oneAtATime(() => signOnlineTargetsIfNeeded(deps));
  };
