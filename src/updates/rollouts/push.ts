// Optional push (MQTT_URL): when a rollout starts or advances, the devices newly in its cohort get a
// small "check now" message on openpsirt/devices/<deviceId>/check-now (QoS 1), so they need not wait
// for their next poll. Published by the ROLLOUT_PUSH job in batches; a retry publishes again, which
// only makes a device check in once more.
import mqtt, { type MqttClient } from 'mqtt';
import type { Db } from '../../db/database.ts';
import type { Deps } from '../../deps.ts';
import { enqueue } from '../../queue/queue.ts';
import type { JobHandler } from '../../queue/workers.ts';
import { cohortBucket, inCohort } from './cohort.ts';
import { compileDeviceMatcher } from './device-match.ts';
import { findRollout } from './store.ts';

export const ROLLOUT_PUSH = 'ROLLOUT_PUSH';
const batchSize = 1_000;

export const checkNowTopic = (deviceId: string) => `openpsirt/devices/${deviceId}/check-now`;

type PushPayload = { rolloutId: string; fromPercent: number; toPercent: number };

/** Queues the push for the devices between two stage percents (in the caller's transaction). */
export async function queueRolloutPush(
  db: Db,
  config: Deps['config'],
  push: PushPayload & { stage: number },
  now: Date,
): Promise<void> {
  if (!config.mqttUrl) return;
  await enqueue(db, {
    type: ROLLOUT_PUSH,
    payload: { rolloutId: push.rolloutId, fromPercent: push.fromPercent, toPercent: push.toPercent },
    idempotencyKey: `rollout-push:${push.rolloutId}:${push.stage}`,
    runAt: now,
  });
}

export type CheckNowPublisher = {
  publish(deviceIds: string[], message: string): Promise<void>;
  close(): Promise<void>;
};

/** One MQTT connection per process, opened at the first push. */
export function mqttPublisher(url: string, log: Deps['log']): CheckNowPublisher {
  let client: Promise<MqttClient> | undefined;
  const connect = () => {
    client ??= mqtt.connectAsync(url, {
      clientId: `openpsirt-${process.pid}-${Date.now()}`,
      connectTimeout: 10_000,
    });
    client.catch(() => {
      client = undefined;
    });
    return client;
  };
  return {
    async publish(deviceIds, message) {
      const connected = await connect();
      await Promise.all(
        deviceIds.map((id) => connected.publishAsync(checkNowTopic(id), message, { qos: 1 })),
      );
    },
    async close() {
      if (!client) return;
      try {
        await (await client).endAsync();
      } catch (error) {
        log.warn({ err: error }, 'closing the MQTT connection failed');
      }
    },
  };
}

/** The ROLLOUT_PUSH job: the selected devices whose bucket lies between the two percents. */
export const rolloutPushJob =
  (deps: Pick<Deps, 'db' | 'clock'>, publisher: CheckNowPublisher): JobHandler =>
  async (payload) => {
    const push = payload as PushPayload;
    const rollout = await findRollout(deps.db, push.rolloutId, null);
    if (rollout?.state !== 'running') return;
    const release = await deps.db
      .selectFrom('releases')
      .select(['model_id', 'version', 'hardware_revisions', 'install_over'])
      .where('id', '=', rollout.releaseId)
      .executeTakeFirstOrThrow();
    const matches = compileDeviceMatcher(
      {
        modelId: release.model_id,
        version: release.version,
        hardwareRevisions: release.hardware_revisions,
        installOver: release.install_over,
      },
      rollout.selector,
    );
    const message = JSON.stringify({ action: 'check-now', rolloutId: rollout.id });
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await deps.db
        .selectFrom('devices')
        .select(['id', 'model_id', 'hardware_revision', 'installed_version', 'tags', 'region'])
        .where('model_id', '=', release.model_id)
        .where('id', '>', after)
        .orderBy('id')
        .limit(batchSize)
        .execute();
      if (rows.length === 0) return;
      after = (rows.at(-1) as { id: string }).id;
      const chosen = rows
        .filter((row) => {
          const bucket = cohortBucket(rollout.id, row.id);
          return inCohort(bucket, push.toPercent) && !inCohort(bucket, push.fromPercent);
        })
        .filter((row) =>
          matches({
            modelId: row.model_id,
            hardwareRevision: row.hardware_revision,
            installedVersion: row.installed_version,
            tags: row.tags,
            region: row.region,
          }),
        )
        .map((row) => row.id);
      if (chosen.length > 0) await publisher.publish(chosen, message);
    }
  };
