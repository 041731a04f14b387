import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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
});
