import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { queueRolloutCheck } from '../../src/updates/rollouts/jobs.ts';
import { engine } from '../support/product.ts';
import { checkIn, followInstruction, registerFleet, type SimDevice } from './rollouts-support.ts';
import { type Repository, startRepository } from './tuf-support.ts';

const minute = 60_000;

describe(`a staged rollout of a simulated fleet (${engine})`, () => {
  let repo: Repository;
  let fleet: SimDevice[];
  let release: { id: string; version: string; targetPath: string };
  let rolloutId: string;

  const now = () => new Date(repo.now());
  const detail = async () => {
    const response = await repo.analyst.inject({ method: 'GET', url: `/api/v1/rollouts/${rolloutId}` });
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  };
  const runChecks = async () => {
    await queueRolloutCheck(repo.product.deps.db, now());
    await repo.product.workers.runDue();
  };
  /** Every device checks in once; those told to install do so with the given outcome. */
  const pollFleet = async (outcome: (device: SimDevice, index: number) => 'installed' | 'install-failed') => {
    const offered: SimDevice[] = [];
    for (const device of fleet) {
      const instruction = await checkIn(repo.product, device);
      if (instruction.action !== 'install') continue;
      offered.push(device);
      assert.equal(instruction.target?.releaseId, release.id);
      assert.equal(instruction.target?.path, release.targetPath);
      assert.equal(instruction.target?.mode, 'forced');
      await followInstruction(repo.product, device, instruction, now(), outcome(device, offered.length));
    }
    return offered;
  };

  before(async () => {
    repo = await startRepository({ TUF_ONLINE_TARGETS: 'true' });
    // 260 devices the release is for, 20 of a revision it was not built for, 20 already on it.
    fleet = await registerFleet(repo.product, repo.analyst.inject, repo.model.id, [
      { count: 260, hardwareRevision: 'A', version: '0.9.0' },
      { count: 20, hardwareRevision: 'B', version: '0.9.0' },
      { count: 20, hardwareRevision: 'A', version: '1.0.0' },
    ]);
    ({ release } = await repo.release());
    await repo.product.workers.runDue();
  });
  after(() => repo.stop());

  it('previews, starts, advances through three stages and halts on a failure spike', async () => {
    const stages = [
      { percent: 10, minMinutes: 30, minReports: 5 },
      { percent: 50, minMinutes: 30, minReports: 20 },
      { percent: 100, minMinutes: 30, minReports: 20 },
    ];
    const preview = await repo.analyst.inject({
      method: 'POST',
      url: '/api/v1/rollouts/preview',
      payload: { releaseId: release.id, stages },
    });
    assert.equal(preview.statusCode, 200, preview.body);
    assert.equal(preview.json().selected, 260);
    assert.deepEqual(
      preview.json().stages.map((stage: { devices: number }) => stage.devices),
      [26, 130, 260],
    );

    const created = await repo.analyst.inject({
      method: 'POST',
      url: '/api/v1/rollouts',
      payload: {
        releaseId: release.id,
        stages,
        failureThreshold: 20,
        minReportsBeforeHalt: 10,
        mode: 'forced',
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    rolloutId = created.json().id;
    assert.equal(created.json().state, 'draft');
    assert.equal(
      (await checkIn(repo.product, fleet[0] as SimDevice)).action,
      'none',
      'a draft offers nothing',
    );

    const started = await repo.analyst.inject({
      method: 'POST',
      url: `/api/v1/rollouts/${rolloutId}/start`,
      payload: {},
    });
    assert.equal(started.statusCode, 200, started.body);
    await repo.product.workers.runDue();

    // Stage 1 (10%): only selected devices, about a tenth of them, all install.
    const first = await pollFleet(() => 'installed');
    assert.ok(
      first.every((device) => device.hardwareRevision === 'A'),
      'never offered to revision B',
    );
    assert.ok(first.length >= 10 && first.length <= 50, `stage 1 reached ${first.length}`);
    let view = await detail();
    assert.equal(view.currentStage, 0);
    assert.deepEqual(
      [view.stats[0].offered, view.stats[0].installed, view.stats[0].failed],
      [first.length, first.length, 0],
    );

    await runChecks();
    assert.equal((await detail()).currentStage, 0, 'the stage has not run its 30 minutes yet');
    repo.setNow(repo.now() + 31 * minute);
    await runChecks();
    view = await detail();
    assert.equal(view.currentStage, 1, 'advanced after 30 minutes and 5 install reports');
    assert.equal(view.events.at(-1).action, 'ADVANCED');

    // Stage 2 (50%): devices of the first stage are on the release now and are not offered again.
    const second = await pollFleet(() => 'installed');
    assert.ok(second.every((device) => !first.includes(device)));
    assert.ok(second.length >= 80 && second.length <= 180, `stage 2 reached ${second.length}`);
    repo.setNow(repo.now() + 31 * minute);
    await runChecks();
    assert.equal((await detail()).currentStage, 2);

    // Stage 3 (100%): a failure spike, half of the installs fail: halted at once, before 30 minutes.
    const third = await pollFleet((_device, index) => (index % 2 === 0 ? 'install-failed' : 'installed'));
    assert.equal(first.length + second.length + third.length, 260, 'every selected device reached');
    await runChecks();
    view = await detail();
    assert.equal(view.state, 'halted');
    const halt = view.events.at(-1);
    assert.equal(halt.action, 'HALTED');
    assert.equal(halt.actor, 'system');
    assert.equal(halt.stage, 2);
    assert.equal(halt.detail.reports, third.length);
    assert.equal(halt.detail.failed, Math.floor(third.length / 2));
    assert.ok(Math.abs(halt.detail.failureRate - Math.floor(third.length / 2) / third.length) < 1e-9);
    assert.match(halt.reason, /install reports failed/);
    assert.equal(view.stats[2].failed, Math.floor(third.length / 2));

    // Halted: nothing more is offered, not even to a device that failed and checks in again.
    for (const device of third) assert.equal((await checkIn(repo.product, device)).action, 'none');

    // Each device's offer was recorded once, in the stage that reached it.
    const offers = await repo.product.deps.db
      .selectFrom('rollout_offers')
      .select(['stage', (eb) => eb.fn.countAll<string>().as('count')])
      .where('rollout_id', '=', rolloutId)
      .groupBy('stage')
      .orderBy('stage')
      .execute();
    assert.deepEqual(
      offers.map((row) => Number(row.count)),
      [first.length, second.length, third.length],
    );

    const audit = await repo.product.deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', rolloutId)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((row) => row.action),
      ['ROLLOUT_CREATED', 'ROLLOUT_START', 'ROLLOUT_ADVANCED', 'ROLLOUT_ADVANCED', 'ROLLOUT_HALTED'],
    );
  });
});
