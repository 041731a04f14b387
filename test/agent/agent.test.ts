// The device agent against a listening product: idle check-ins with both credentials, an install
// verified end to end, and the refusals a device must make on its own (a forged, replayed, expired
// or misaddressed instruction; a tampered, oversized or foreign target; a rollback), each leaving
// nothing installed. Install instructions are signed with the director's real key by the server's
// own signing function and slipped in by a proxy, since no rollout offers installs yet.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { checkNowTopic } from '../../agent/src/index.ts';
import type { Target } from '../../src/updates/director/instruction.ts';
import { engine } from '../support/product.ts';
import { createUpdatableModel, firmwareBytes, releaseFirmware, uploadFirmware } from '../updates/fixtures.ts';
import { type Fleet, startFleet } from './agent-support.ts';

const brokerReachable = await new Promise<boolean>((resolve) => {
  const socket = net.connect(1883, '127.0.0.1');
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

describe(`device agent (${engine})`, () => {
  let fleet: Fleet;
  let first: Awaited<ReturnType<Fleet['repo']['release']>>;
  let target: Target;

  before(async () => {
    fleet = await startFleet();
    first = await fleet.repo.release(200_000); // 1.0.0 for hardware A, over < 1.0.0
    await fleet.repo.signTargets();
    target = {
      path: first.release.targetPath,
      length: first.bytes.length,
      sha256: first.artifact.sha256,
      version: '1.0.0',
      releaseId: first.release.id,
      mode: 'forced',
    };
  });
  after(() => fleet.stop());

  const reportsOf = async (deviceId: string) =>
    (
      await fleet.repo.product.deps.db
        .selectFrom('device_reports')
        .select(['kind', 'error_code', 'version'])
        .where('device_id', '=', deviceId)
        .orderBy('id')
        .execute()
    ).map((row) => (row.error_code ? `${row.kind} ${row.error_code}` : row.kind));

  for (const credential of ['secret', 'ed25519'] as const) {
    it(`checks in with a ${credential} credential and is told to do nothing`, async () => {
      fleet.proxy.reset();
      const { agent, id, installs } = await fleet.device({ auth: credential });
      for (let i = 0; i < 2; i++) {
        const result = await agent.checkIn();
        assert.equal(result.action, 'none');
        assert.deepEqual(result.outcome, { kind: 'idle' });
        assert.ok(result.pollSeconds > 0);
      }
      assert.equal(installs.length, 0);
      assert.deepEqual(await reportsOf(id), []);
    });
  }

  it('installs a target the director names and the image repository signed, and reports each step', async () => {
    fleet.proxy.reset();
    fleet.offer(target);
    const { agent, id, installs } = await fleet.device({ auth: 'ed25519', runsAfterInstall: true });
    const result = await agent.checkIn();
    assert.deepEqual(result.outcome, { kind: 'installed', version: '1.0.0' });
    assert.equal(result.pollSeconds, 60);
    assert.equal(installs.length, 1);
    assert.deepEqual(installs[0], first.bytes);
    assert.equal(agent.currentVersion(), '1.0.0');
    assert.deepEqual(await reportsOf(id), [
      'download-started',
      'download-finished',
      'install-succeeded',
      'running',
    ]);
  });

  const refusals: [string, (t: Target) => Parameters<Fleet['offer']>[1], string][] = [
    [
      'an instruction for another device',
      () => (i) => ({ ...i, deviceId: '00000000-0000-4000-8000-000000000000' }),
      'OTHER_DEVICE',
    ],
    [
      'a replayed answer (stale nonce)',
      () => (i) => ({ ...i, nonce: 'an-earlier-nonce-0123456' }),
      'STALE_NONCE',
    ],
    [
      'an expired instruction',
      () => (i) => ({ ...i, issuedAt: '2026-01-01T00:00:00Z', expiresAt: '2026-01-01T00:05:00Z' }),
      'EXPIRED',
    ],
  ];
  for (const [name, change, reason] of refusals) {
    it(`refuses ${name}: nothing installed, nothing reported`, async () => {
      fleet.proxy.reset();
      fleet.offer(target, change(target));
      const { agent, id, installs } = await fleet.device();
      const result = await agent.checkIn();
      assert.deepEqual(result.outcome, { kind: 'refused-instruction', reason });
      assert.equal(installs.length, 0);
      assert.deepEqual(fleet.proxy.targetRequests, [], 'not even a download');
      assert.deepEqual(await reportsOf(id), []);
    });
  }

  it('refuses a replayed genuine answer from an earlier check-in', async () => {
    fleet.proxy.reset();
    const { agent, id, installs } = await fleet.device();
    let earlier = '';
    fleet.proxy.rewriteCheckIn(async (_request, upstream) => {
      if (!earlier) {
        earlier = upstream; // a genuine answer to the first check-in
        return upstream;
      }
      return earlier;
    });
    assert.equal((await agent.checkIn()).outcome.kind, 'idle');
    const result = await agent.checkIn();
    assert.deepEqual(result.outcome, { kind: 'refused-instruction', reason: 'STALE_NONCE' });
    assert.equal(installs.length, 0);
    assert.deepEqual(await reportsOf(id), []);
  });

  it('refuses an instruction whose signed part was altered (bad signature)', async () => {
    fleet.proxy.reset();
    const { agent, id, installs } = await fleet.device();
    fleet.proxy.rewriteCheckIn(async (request, upstream) => {
      const genuine = JSON.parse(upstream);
      const body = await fleet.signed({
        ...genuine.signed,
        nonce: request.nonce,
        action: 'install',
        target,
        pollSeconds: 60,
      });
      return body.replace('"mode":"forced"', '"mode":"soft"');
    });
    const result = await agent.checkIn();
    assert.deepEqual(result.outcome, { kind: 'refused-instruction', reason: 'BAD_SIGNATURE' });
    assert.equal(installs.length, 0);
    assert.deepEqual(await reportsOf(id), []);
  });

  it('refuses a file whose bytes were tampered on the server (hash mismatch)', async () => {
    fleet.proxy.reset();
    fleet.offer(target);
    const file = path.join(
      fleet.repo.product.dataDir,
      'artifacts',
      first.artifact.sha256.slice(0, 2),
      first.artifact.sha256.slice(2, 4),
      first.artifact.sha256,
    );
    const original = fs.readFileSync(file);
    const tampered = Buffer.from(original);
    tampered[1000] = (tampered[1000] ?? 0) ^ 0xff;
    fs.writeFileSync(file, tampered);
    try {
      const { agent, id, installs, dataDir } = await fleet.device();
      const result = await agent.checkIn();
      assert.equal(result.outcome.kind, 'download-failed');
      assert.equal((result.outcome as { code: string }).code, 'E_HASH_MISMATCH');
      assert.equal(installs.length, 0);
      assert.deepEqual(fs.readdirSync(path.join(dataDir, 'downloads')), [], 'the bad file is gone');
      assert.deepEqual(await reportsOf(id), ['download-started', 'download-failed E_HASH_MISMATCH']);
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it('stops reading a file that goes on past its TUF length (endless data)', async () => {
    fleet.proxy.reset();
    fleet.offer(target);
    fleet.proxy.endlessTargets(true);
    const { agent, id, installs } = await fleet.device();
    const result = await agent.checkIn();
    assert.equal((result.outcome as { code: string }).code, 'E_TOO_LARGE');
    assert.equal(installs.length, 0);
    assert.deepEqual(await reportsOf(id), ['download-started', 'download-failed E_TOO_LARGE']);
  });

  it('refuses targets the image repository signed for another model or hardware revision (director compromised)', async () => {
    fleet.proxy.reset();
    const inject = fleet.repo.analyst.inject;
    const otherModel = await createUpdatableModel(inject);
    const bytes = firmwareBytes(5000, `other model ${process.pid}`);
    const otherArtifact = await uploadFirmware(inject, otherModel.id, bytes, 'other.bin');
    const forOtherModel = await releaseFirmware(inject, otherModel.id, {
      artifactId: otherArtifact.id,
      version: '2.0.0',
    });
    const hwBytes = firmwareBytes(5000, `hardware B ${process.pid}`);
    const hwArtifact = await uploadFirmware(inject, fleet.repo.model.id, hwBytes, 'hw-b.bin');
    const forHardwareB = await releaseFirmware(inject, fleet.repo.model.id, {
      artifactId: hwArtifact.id,
      version: '2.0.0',
      hardwareRevisions: ['B'],
    });
    await fleet.repo.signTargets();
    const cases = [
      [forOtherModel, otherArtifact, 'E_TARGET_MODEL'],
      [forHardwareB, hwArtifact, 'E_TARGET_HARDWARE'],
    ] as const;
    for (const [release, artifact, code] of cases) {
      fleet.offer({
        ...target,
        path: release.targetPath,
        length: 5000,
        sha256: artifact.sha256,
        version: '2.0.0',
        releaseId: release.id,
      });
      const { agent, id, installs } = await fleet.device();
      const result = await agent.checkIn();
      assert.equal(result.outcome.kind, 'refused-target');
      assert.equal((result.outcome as { code: string }).code, code);
      assert.equal(installs.length, 0);
      assert.deepEqual(await reportsOf(id), [`download-failed ${code}`]);
    }
    assert.deepEqual(fleet.proxy.targetRequests, [], 'nothing was downloaded');
  });

  it('refuses a rollback to a lower version than the one installed', async () => {
    fleet.proxy.reset();
    fleet.offer(target);
    const { agent, id, installs } = await fleet.device({ currentVersion: '5.0.0' });
    const result = await agent.checkIn();
    assert.equal((result.outcome as { code: string }).code, 'E_ROLLBACK');
    assert.equal(installs.length, 0);
    assert.deepEqual(await reportsOf(id), ['download-failed E_ROLLBACK']);
  });

  it('resumes an interrupted download with a Range request and installs the verified file', async () => {
    fleet.proxy.reset();
    fleet.offer(target);
    fleet.proxy.cutTargetsAfter(70_000);
    const { agent, id, installs } = await fleet.device();
    const cut = await agent.checkIn();
    assert.equal((cut.outcome as { code: string }).code, 'E_DOWNLOAD_INTERRUPTED');
    assert.equal(installs.length, 0);

    fleet.proxy.cutTargetsAfter(null);
    const result = await agent.checkIn();
    assert.deepEqual(result.outcome, { kind: 'installed', version: '1.0.0' });
    const [firstRequest, secondRequest] = fleet.proxy.targetRequests;
    assert.equal(firstRequest?.range, null);
    assert.match(secondRequest?.range ?? '', /^bytes=\d+-$/);
    const from = Number(/=(\d+)-/.exec(secondRequest?.range ?? '')?.[1]);
    assert.ok(from > 0 && from <= 70_000, `resumed from ${from}`);
    assert.equal(secondRequest?.ifRange, `"${first.artifact.sha256}"`);
    assert.equal(secondRequest?.status, 206);
    assert.deepEqual(installs[0], first.bytes);
    assert.deepEqual(await reportsOf(id), [
      'download-started',
      'download-failed E_DOWNLOAD_INTERRUPTED',
      'download-started',
      'download-finished',
      'install-succeeded',
    ]);
  });

  it('only downloads a download-only target, and installs a soft one only when approved', async () => {
    fleet.proxy.reset();
    fleet.offer({ ...target, mode: 'download-only' });
    const onlyDownload = await fleet.device();
    const downloaded = await onlyDownload.agent.checkIn();
    assert.equal(downloaded.outcome.kind, 'downloaded');
    assert.equal(onlyDownload.installs.length, 0);
    assert.deepEqual(await reportsOf(onlyDownload.id), ['download-started', 'download-finished']);

    fleet.offer({ ...target, mode: 'soft' });
    let approve = false;
    const soft = await fleet.device({ approve: async () => approve });
    assert.deepEqual((await soft.agent.checkIn()).outcome, { kind: 'declined' });
    assert.equal(soft.installs.length, 0);
    approve = true;
    const requests = fleet.proxy.targetRequests.length;
    assert.deepEqual((await soft.agent.checkIn()).outcome, { kind: 'installed', version: '1.0.0' });
    assert.equal(
      fleet.proxy.targetRequests.length,
      requests,
      'the verified file was kept, not fetched again',
    );
    assert.deepEqual(soft.installs[0], first.bytes);
  });

  it('checks in at once when told to over MQTT, instead of waiting its poll interval', {
    skip: brokerReachable ? false : 'no MQTT broker at 127.0.0.1:1883',
  }, async () => {
    fleet.proxy.reset();
    const { agent, id } = await fleet.device({ mqttUrl: 'mqtt://127.0.0.1:1883' });
    const results: unknown[] = [];
    const stop = new AbortController();
    const running = agent.run(stop.signal, (result) => results.push(result));
    const until = async (count: number) => {
      const deadline = Date.now() + 10_000;
      while (results.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    };
    await until(1);
    assert.equal(results.length, 1, 'the first check-in, then a wait of about an hour');
    await new Promise((r) => setTimeout(r, 300)); // the subscription is made before the first check-in
    const publisher = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    await publisher.publishAsync(checkNowTopic(id), 'check-now', { qos: 1 });
    await until(2);
    await publisher.endAsync();
    stop.abort();
    await running;
    assert.equal(results.length, 2, 'checked in again at once');
  });

  // Last: once this rollout runs, every device of the model at 0.9.0 is offered its release.
  it('installs what a real rollout offers, with no proxy rewriting the director', async () => {
    fleet.proxy.reset();
    const { release, bytes } = await fleet.repo.release(30_000);
    await fleet.repo.signTargets();
    const inject = fleet.repo.analyst.inject;
    const created = await inject({
      method: 'POST',
      url: '/api/v1/rollouts',
      payload: {
        releaseId: release.id,
        stages: [{ percent: 100, minMinutes: 30, minReports: 5 }],
        failureThreshold: 20,
        minReportsBeforeHalt: 10,
        mode: 'forced',
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const started = await inject({
      method: 'POST',
      url: `/api/v1/rollouts/${created.json().id}/start`,
      payload: {},
    });
    assert.equal(started.statusCode, 200, started.body);
    await fleet.repo.product.workers.runDue();
    const { agent, id, installs } = await fleet.device({ auth: 'ed25519' });
    const result = await agent.checkIn();
    assert.equal(result.action, 'install');
    assert.deepEqual(result.outcome, { kind: 'installed', version: release.version });
    assert.deepEqual(installs[0], bytes);
    assert.deepEqual(await reportsOf(id), ['download-started', 'download-finished', 'install-succeeded']);
  });
});
