// The image repository's background work: an hourly check that re-signs the online roles (snapshot,
// timestamp) well before they expire, and, with TUF_ONLINE_TARGETS, signing new targets metadata
// after a release is created or withdrawn.
import type { Db } from '../../db/database.ts';
import { enqueue } from '../../queue/queue.ts';

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
