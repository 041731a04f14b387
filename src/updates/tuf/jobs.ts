// The image repository's background work: an hourly check that re-signs the online roles (snapshot,
// timestamp) well before they expire, and, with TUF_ONLINE_TARGETS, signing new targets metadata
// after a release is created or withdrawn.
import type { Db } from '../../db/database.ts';
import { enqueue } from '../../queue/queue.ts';
import type { JobHandler } from '../../queue/workers.ts';
import { releasesToSign } from '../releases/store.ts';
import { parseTargets } from './metadata-files.ts';
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

/** The TUF_ONLINE_REFRESH job: queues the next check, then re-signs what is due. */
export const onlineRefreshJob =
  (deps: TufDeps): JobHandler =>
  async () => {
    await scheduleOnlineRefresh(deps.db, deps.clock(), true);
    await refreshOnlineRoles(deps);
  };

/**
 * The TUF_SIGN_TARGETS job (TUF_ONLINE_TARGETS only): signs new targets metadata with the online
 * targets key when the releases to serve differ from the latest targets metadata.
 */
export const onlineTargetsJob =
  (deps: TufDeps): JobHandler =>
  async () => {
    if (!deps.config.tufOnlineTargets || !(await findOnlineKey(deps.db, 'targets'))) return;
    if (!(await latestMetadata(deps.db, 'root'))) return;
    const wanted = (await releasesToSign(deps.db)).map((release) => release.target_path).sort();
    const latest = await latestMetadata(deps.db, 'targets');
    const signed = latest ? Object.keys(parseTargets(latest.body).signed.targets).sort() : undefined;
    if (signed && signed.join('\n') === wanted.join('\n')) return;
    await signTargets(deps, [await onlineSigner(deps, 'targets')]);
  };
