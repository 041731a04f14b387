import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import { cohortBucket } from '../../src/updates/rollouts/cohort.ts';
import { queueRolloutCheck } from '../../src/updates/rollouts/jobs.ts';
import { engine } from '../support/product.ts';
import { registerFleet, type SimDevice } from './rollouts-support.ts';
import { type Repository, startRepository } from './tuf-support.ts';

const broker = { host: '127.0.0.1', port: 1883 };
const reachable = await new Promise<boolean>((resolve) => {
  const socket = net.connect(broker.port, broker.host);
  socket.setTimeout(1000);
  socket.on('connect', () => {
    socket.destroy();
    resolve(true);
  });
  socket.on('error', () => resolve(false));
  socket.on('timeout', () => {
    socket.destroy();
    resolve(false);
  });
});
if (!reachable) {
  console.warn(`SKIPPED: no MQTT broker at ${broker.host}:${broker.port}; the rollout push test did not run`);
}

describe(`rollout push over MQTT (${engine})`, {
  skip: reachable ? false : 'no MQTT broker at 127.0.0.1:1883',
}, () => {
  let repo: Repository;
  let subscriber: MqttClient;
  let fleet: SimDevice[];
  const received: string[] = [];

  /** Waits until `count` of the fleet's messages arrived, then a little longer to catch extra ones. */
  const settle = async (count: number) => {
    const deadline = Date.now() + 10_000;
    while (received.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
  };

  before(async () => {
    repo = await startRepository({
      TUF_ONLINE_TARGETS: 'true',
      MQTT_URL: `mqtt://${broker.host}:${broker.port}`,
    });
    fleet = await registerFleet(repo.product, repo.analyst.inject, repo.model.id, [
      { count: 60, hardwareRevision: 'A', version: '0.9.0' },
      { count: 10, hardwareRevision: 'B', version: '0.9.0' },
      { count: 10, hardwareRevision: 'A', version: '1.0.0' },
    ]);
    const ids = new Set(fleet.map((device) => device.id));
    subscriber = await mqtt.connectAsync(`mqtt://${broker.host}:${broker.port}`);
    subscriber.on('message', (topic, payload) => {
      const id = /^openpsirt\/devices\/([^/]+)\/check-now$/.exec(topic)?.[1];
      if (id && ids.has(id)) {
        assert.equal(JSON.parse(payload.toString()).action, 'check-now');
        received.push(id);
      }
    });
    await subscriber.subscribeAsync('openpsirt/devices/+/check-now', { qos: 1 });
  });
  after(async () => {
    await subscriber?.endAsync();
    await repo?.stop();
  });

  it('tells the devices newly in the cohort to check now, at the start and at each advance, and no others', async () => {
    const { release } = await repo.release();
    await repo.product.workers.runDue();
    const created = await repo.analyst.inject({
      method: 'POST',
      url: '/api/v1/rollouts',
      payload: {
        releaseId: release.id,
        stages: [
          { percent: 25, minMinutes: 10, minReports: 0 },
          { percent: 100, minMinutes: 0, minReports: 0 },
        ],
        failureThreshold: 10,
        minReportsBeforeHalt: 5,
        mode: 'soft',
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id;
    const selected = fleet.filter((device) => device.hardwareRevision === 'A' && device.version === '0.9.0');
    const firstCohort = selected.filter((device) => cohortBucket(id, device.id) < 2500).map((d) => d.id);
    const rest = selected.filter((device) => cohortBucket(id, device.id) >= 2500).map((d) => d.id);
    assert.ok(firstCohort.length > 0 && rest.length > 0);

    assert.equal(
      (await repo.analyst.inject({ method: 'POST', url: `/api/v1/rollouts/${id}/start`, payload: {} }))
        .statusCode,
      200,
    );
    await repo.product.workers.runDue();
    await settle(firstCohort.length);
    assert.deepEqual([...received].sort(), [...firstCohort].sort());

    received.length = 0;
    repo.setNow(repo.now() + 11 * 60_000);
    await queueRolloutCheck(repo.product.deps.db, new Date(repo.now()));
    await repo.product.workers.runDue();
    await settle(rest.length);
    assert.deepEqual([...received].sort(), [...rest].sort());
  });
});
