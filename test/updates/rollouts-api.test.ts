import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { queueRolloutCheck } from '../../src/updates/rollouts/jobs.ts';
import { signInAs } from '../support/auth.ts';
import { engine } from '../support/product.ts';
import { checkIn, registerFleet, report, type SimDevice } from './rollouts-support.ts';
import { type Repository, startRepository } from './tuf-support.ts';

const allAtOnce = [{ percent: 100, minMinutes: 0, minReports: 1 }];

describe(`rollouts: rules, state machine, modes and windows (${engine})`, () => {
  let repo: Repository;
  let fleet: SimDevice[];

  const create = (body: Record<string, unknown>) =>
    repo.analyst.inject({
      method: 'POST',
      url: '/api/v1/rollouts',
      payload: { stages: allAtOnce, failureThreshold: 10, minReportsBeforeHalt: 1, mode: 'soft', ...body },
    });
  const act = (id: string, action: string, reason?: string) =>
    repo.analyst.inject({
      method: 'POST',
      url: `/api/v1/rollouts/${id}/${action}`,
      payload: reason === undefined ? {} : { reason },
    });
  const signedRelease = async () => {
    const { release } = await repo.release();
    await repo.signTargets();
    return release as { id: string; version: string };
  };
  const startedRollout = async (body: Record<string, unknown>) => {
    const created = await create(body);
    assert.equal(created.statusCode, 201, created.body);
    const started = await act(created.json().id, 'start');
    assert.equal(started.statusCode, 200, started.body);
    return created.json().id as string;
  };

  before(async () => {
    repo = await startRepository();
    fleet = await registerFleet(repo.product, repo.analyst.inject, repo.model.id, [
      { count: 3, hardwareRevision: 'A', version: '0.9.0', region: 'Europe/Berlin' },
      { count: 1, hardwareRevision: 'A', version: '0.9.0', region: 'America/New_York' },
      { count: 1, hardwareRevision: 'A', version: '0.9.0' },
    ]);
  });
  after(() => repo.stop());

  it('refuses bad rollouts with 400 and a rollout of an unsigned release with 409 until it is signed', async () => {
    const { release } = await repo.release();
    const wrongRevision = await create({ releaseId: release.id, selector: { hardwareRevisions: ['B'] } });
    assert.equal(wrongRevision.statusCode, 400);
    assert.match(wrongRevision.json().fields['selector.hardwareRevisions'], /not built for/);
    const shrinking = await create({
      releaseId: release.id,
      stages: [
        { percent: 50, minMinutes: 0, minReports: 0 },
        { percent: 20, minMinutes: 0, minReports: 0 },
      ],
    });
    assert.equal(shrinking.statusCode, 400);
    assert.ok(shrinking.json().fields.stages);
    assert.equal((await create({ releaseId: crypto.randomUUID() })).statusCode, 400);

    const draft = await create({ releaseId: release.id });
    assert.equal(draft.statusCode, 201, draft.body);
    const early = await act(draft.json().id, 'start');
    assert.equal(early.statusCode, 409);
    assert.match(early.json().message, /not signed/);
    await repo.signTargets();
    assert.equal((await act(draft.json().id, 'start')).statusCode, 200);
    assert.equal((await act(draft.json().id, 'abort', 'test over')).statusCode, 200);
  });

  it('moves through draft, running, paused, aborted with an event and audit entry for each, and 409 for the rest', async () => {
    const release = await signedRelease();
    const id = (await create({ releaseId: release.id })).json().id;
    assert.equal((await act(id, 'pause')).statusCode, 409);
    assert.equal((await act(id, 'start')).statusCode, 200);
    assert.equal((await act(id, 'start')).statusCode, 409);
    assert.equal((await checkIn(repo.product, fleet[0] as SimDevice)).action, 'install');
    assert.equal(
      (await checkIn(repo.product, fleet[0] as SimDevice)).action,
      'install',
      'offered until installed',
    );
    const offers = await repo.product.deps.db
      .selectFrom('rollout_offers')
      .select(['device_id', 'stage'])
      .where('rollout_id', '=', id)
      .execute();
    assert.deepEqual(
      offers,
      [{ device_id: (fleet[0] as SimDevice).id, stage: 0 }],
      'the offer is recorded once',
    );
    assert.equal((await act(id, 'pause', 'weekend')).statusCode, 200);
    assert.equal(
      (await checkIn(repo.product, fleet[0] as SimDevice)).action,
      'none',
      'paused: nothing offered',
    );
    assert.equal((await act(id, 'resume')).statusCode, 200);
    const noReason = await act(id, 'abort');
    assert.equal(noReason.statusCode, 400);
    assert.ok(noReason.json().fields.reason);
    const aborted = await act(id, 'abort', 'superseded');
    assert.equal(aborted.statusCode, 200);
    assert.equal(aborted.json().state, 'aborted');
    assert.equal((await act(id, 'resume', 'oops')).statusCode, 409);
    assert.deepEqual(
      aborted
        .json()
        .events.map((event: { action: string; from: string | null; to: string }) => [
          event.action,
          event.from,
          event.to,
        ]),
      [
        ['CREATED', null, 'draft'],
        ['START', 'draft', 'running'],
        ['PAUSE', 'running', 'paused'],
        ['RESUME', 'paused', 'running'],
        ['ABORT', 'running', 'aborted'],
      ],
    );
    assert.equal(aborted.json().events.at(-1).reason, 'superseded');
    assert.match(aborted.json().events.at(-1).actor, /@/);
    const audit = await repo.product.deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', id)
      .execute();
    assert.equal(audit.length, 5);
    assert.equal(
      (await checkIn(repo.product, fleet[0] as SimDevice)).action,
      'none',
      'aborted: nothing offered',
    );
  });

  it('halts automatically and resumes a halted rollout only with a reason from the review', async () => {
    const release = await signedRelease();
    const id = await startedRollout({ releaseId: release.id, failureThreshold: 0 });
    const device = fleet[0] as SimDevice;
    const instruction = await checkIn(repo.product, device);
    assert.equal(instruction.action, 'install');
    await report(repo.product, device, new Date(repo.now()), [
      { kind: 'install-failed', releaseId: release.id, errorCode: 'NO_SPACE' },
    ]);
    await repo.product.workers.runDue();
    const halted = await repo.analyst.inject({ method: 'GET', url: `/api/v1/rollouts/${id}` });
    assert.equal(halted.json().state, 'halted');
    assert.equal((await act(id, 'resume')).statusCode, 400);
    repo.setNow(repo.now() + 60_000); // the review takes a while
    const resumed = await act(id, 'resume', 'the failing units had full flash; fixed by the cleanup job');
    assert.equal(resumed.statusCode, 200);
    assert.equal(resumed.json().state, 'running');
    assert.equal(resumed.json().events.at(-1).from, 'halted');
    await repo.product.workers.runDue();
    const judgedAgain = await repo.analyst.inject({ method: 'GET', url: `/api/v1/rollouts/${id}` });
    assert.equal(judgedAgain.json().state, 'running', 'the reviewed failures do not halt it again');
    repo.setNow(repo.now() + 1000);
    await checkIn(repo.product, fleet[1] as SimDevice);
    await report(repo.product, fleet[1] as SimDevice, new Date(repo.now()), [
      { kind: 'install-failed', releaseId: release.id, errorCode: 'NO_SPACE' },
    ]);
    await queueRolloutCheck(repo.product.deps.db, new Date(repo.now())); // the minute's check
    await repo.product.workers.runDue();
    const haltedAgain = await repo.analyst.inject({ method: 'GET', url: `/api/v1/rollouts/${id}` });
    assert.equal(haltedAgain.json().state, 'halted', 'a new failure after the resume halts it again');
    assert.equal((await act(id, 'abort', 'done testing')).statusCode, 200);
  });

  it('completes after its last stage and goes on offering the release to devices that missed it, until aborted', async () => {
    const release = await signedRelease();
    const id = await startedRollout({ releaseId: release.id, mode: 'forced', failureThreshold: 50 });
    const [early, late] = [fleet[2] as SimDevice, fleet[3] as SimDevice];
    assert.equal((await checkIn(repo.product, early)).action, 'install');
    await report(repo.product, early, new Date(repo.now()), [
      { kind: 'install-succeeded', releaseId: release.id, version: release.version },
    ]);
    await queueRolloutCheck(repo.product.deps.db, new Date(repo.now()));
    await repo.product.workers.runDue();
    const completed = await repo.analyst.inject({ method: 'GET', url: `/api/v1/rollouts/${id}` });
    assert.equal(completed.json().state, 'completed');
    assert.equal(completed.json().events.at(-1).action, 'COMPLETED');
    // Offline while the rollout ran, or its install failed: the fix must still reach it.
    const lateAnswer = await checkIn(repo.product, late);
    assert.equal(lateAnswer.action, 'install');
    assert.equal(lateAnswer.target?.releaseId, release.id);
    assert.equal((await act(id, 'pause')).statusCode, 409);
    assert.equal((await act(id, 'abort')).statusCode, 400, 'aborting needs a reason');
    const aborted = await act(id, 'abort', 'superseded by the next release');
    assert.equal(aborted.statusCode, 200, aborted.body);
    assert.equal(aborted.json().events.at(-1).from, 'completed');
    assert.equal((await checkIn(repo.product, late)).action, 'none');
  });

  it('halts a completed rollout when the devices that missed it fail to install', async () => {
    const release = await signedRelease();
    const id = await startedRollout({ releaseId: release.id, mode: 'forced', failureThreshold: 40 });
    const [first, ...late] = [fleet[2], fleet[3], fleet[4]] as SimDevice[];
    const check = async () => {
      await queueRolloutCheck(repo.product.deps.db, new Date(repo.now()));
      await repo.product.workers.runDue();
      return (await repo.analyst.inject({ method: 'GET', url: `/api/v1/rollouts/${id}` })).json();
    };
    assert.equal((await checkIn(repo.product, first as SimDevice)).action, 'install');
    await report(repo.product, first as SimDevice, new Date(repo.now()), [
      { kind: 'install-succeeded', releaseId: release.id, version: release.version },
    ]);
    assert.equal((await check()).state, 'completed');
    for (const device of late) {
      assert.equal((await checkIn(repo.product, device)).action, 'install');
      await report(repo.product, device, new Date(repo.now()), [
        { kind: 'install-failed', releaseId: release.id, errorCode: 'BOOT_LOOP' },
      ]);
    }
    const view = await check();
    assert.equal(view.state, 'halted');
    assert.deepEqual([view.events.at(-1).action, view.events.at(-1).from], ['HALTED', 'completed']);
    assert.equal((await checkIn(repo.product, late[0] as SimDevice)).action, 'none');
    assert.equal((await act(id, 'abort', 'the release bricks revision A units')).statusCode, 200);
  });

  it('names the rollout’s mode in the install instruction', async () => {
    const release = await signedRelease();
    const id = await startedRollout({ releaseId: release.id, mode: 'download-only' });
    const instruction = await checkIn(repo.product, fleet[1] as SimDevice);
    assert.equal(instruction.action, 'install');
    assert.equal(instruction.target?.mode, 'download-only');
    assert.equal(instruction.target?.version, release.version);
    assert.equal((await act(id, 'abort', 'done testing')).statusCode, 200);
  });

  it('offers only inside the maintenance window, in the local time of the device (maker’s zone, UTC, without region)', async () => {
    const release = await signedRelease();
    const id = await startedRollout({
      releaseId: release.id,
      maintenanceWindow: { start: '01:00', end: '05:00' },
    });
    const [berlin, newYork, noRegion] = [fleet[2], fleet[3], fleet[4]] as [SimDevice, SimDevice, SimDevice];
    const saved = repo.now();
    try {
      repo.setNow(Date.parse('2030-01-15T12:00:00Z'));
      for (const device of [berlin, newYork, noRegion]) {
        assert.equal(
          (await checkIn(repo.product, device)).action,
          'none',
          'noon: outside the window everywhere',
        );
      }
      repo.setNow(Date.parse('2030-01-15T01:30:00Z')); // 02:30 Berlin, 20:30 New York, 01:30 UTC
      assert.equal((await checkIn(repo.product, berlin)).action, 'install');
      assert.equal((await checkIn(repo.product, newYork)).action, 'none');
      assert.equal((await checkIn(repo.product, noRegion)).action, 'install');
    } finally {
      repo.setNow(saved);
    }
    assert.equal((await act(id, 'abort', 'done testing')).statusCode, 200);
  });

  it('lets auditors read rollouts, refuses them changes, and hides them from suppliers of other models', async () => {
    const release = await signedRelease();
    const id = (await create({ releaseId: release.id })).json().id;
    const auditor = await signInAs(repo.product, 'auditor');
    assert.equal((await auditor.inject({ method: 'GET', url: `/api/v1/rollouts/${id}` })).statusCode, 200);
    const listed = await auditor.inject({ method: 'GET', url: `/api/v1/rollouts?releaseId=${release.id}` });
    assert.deepEqual(
      listed.json().items.map((item: { id: string }) => item.id),
      [id],
    );
    assert.equal(
      (await auditor.inject({ method: 'POST', url: `/api/v1/rollouts/${id}/start`, payload: {} })).statusCode,
      403,
    );
    const supplier = await signInAs(repo.product, 'supplier');
    assert.equal((await supplier.inject({ method: 'GET', url: `/api/v1/rollouts/${id}` })).statusCode, 404);
  });
});
