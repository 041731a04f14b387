import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { enqueue } from '../../src/queue/queue.ts';
import { TUF_ONLINE_REFRESH } from '../../src/updates/tuf/jobs.ts';
import { latestMetadata } from '../../src/updates/tuf/metadata-store.ts';
import { signInAs } from '../support/auth.ts';
import { engine } from '../support/product.ts';
import { type Repository, startRepository, tufClient } from './tuf-support.ts';

describe(`TUF_ONLINE_TARGETS: the server signs targets itself (${engine})`, () => {
  let repo: Repository;

  before(async () => {
    repo = await startRepository({ TUF_ONLINE_TARGETS: 'true' });
  });
  after(() => repo.stop());

  it('signs new targets after a release is created and after it is withdrawn', async () => {
    const root = JSON.parse(await repo.rootBody(1));
    const onlineTargets = await repo.product.deps.db
      .selectFrom('tuf_online_keys')
      .select('key_id')
      .where('role', '=', 'targets')
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      root.signed.roles.targets.keyids,
      [onlineTargets.key_id],
      'the root names the online key',
    );

    const { release } = await repo.release();
    await repo.product.workers.runDue();
    const client = tufClient(repo.baseUrl, await repo.rootBody(1));
    try {
      await client.updater.refresh();
      const info = await client.updater.getTargetInfo(release.targetPath);
      assert.ok(info, 'signed without a ceremony');
      const view = await repo.analyst.inject({ method: 'GET', url: `/api/v1/releases/${release.id}` });
      assert.equal(view.json().state, 'signed');

      const admin = await signInAs(repo.product, 'admin');
      const withdrawn = await admin.inject({
        method: 'POST',
        url: `/api/v1/releases/${release.id}/withdraw`,
        payload: { reason: 'bad build' },
      });
      assert.equal(withdrawn.statusCode, 200, withdrawn.body);
      await repo.product.workers.runDue();
      const next = client.again();
      await next.updater.refresh();
      assert.equal(
        await next.updater.getTargetInfo(release.targetPath),
        undefined,
        'left out of the targets',
      );
    } finally {
      client.dispose();
    }
  });

  it('re-signs the targets in the hourly job once less than half of their 90 days remain', async () => {
    const before = await latestVersion(repo, 'targets');
    repo.setNow(repo.now() + 44 * day);
    await runRefreshJob(repo);
    assert.equal(await latestVersion(repo, 'targets'), before, 'more than half remains');
    repo.setNow(repo.now() + 2 * day);
    await runRefreshJob(repo);
    assert.equal(await latestVersion(repo, 'targets'), before + 1);
    repo.setNow(Date.now());
  });
});

const day = 24 * 60 * 60_000;

async function runRefreshJob(repo: Repository) {
  await enqueue(repo.product.deps.db, { type: TUF_ONLINE_REFRESH, payload: {}, runAt: new Date(0) });
  await repo.product.workers.runDue();
}

async function latestVersion(repo: Repository, role: 'targets') {
  return (await latestMetadata(repo.product.deps.db, role))?.version ?? 0;
}
