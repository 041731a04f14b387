// `openpsirt simulate` through the real command line against a listening product: a fleet of 20
// registered through the import API with a staff token, idle, then offered a signed target (through
// the proxy, with the director's real key) and installing it with half the installs failing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signInAs } from '../support/auth.ts';
import { runCli } from '../support/cli.ts';
import { engine } from '../support/product.ts';
import { type Fleet, startFleet } from './agent-support.ts';

describe(`openpsirt simulate (${engine})`, () => {
  let fleet: Fleet;
  let token: string;

  before(async () => {
    fleet = await startFleet();
    const analyst = await signInAs(fleet.repo.product, 'analyst');
    const created = await analyst.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'simulator', role: 'analyst' },
    });
    assert.equal(created.statusCode, 201, created.body);
    token = created.json().token;
  });
  after(() => fleet.stop());

  const simulate = (url: string, failureRate: string, extra: string[] = []) =>
    runCli(
      [
        'simulate',
        ...extra,
        ...['--url', url, '--token', token, '--devices', '20', '--failure-rate', failureRate],
        ...['--model', fleet.repo.model.id, '--hardware-revision', 'A', '--installed-version', '0.9.0'],
        ...['--concurrency', '4', '--progress-seconds', '0.5'],
      ],
      {},
    );

  const countReports = async (kind: 'install-failed' | 'install-succeeded') =>
    Number(
      (
        await fleet.repo.product.deps.db
          .selectFrom('device_reports')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('kind', '=', kind)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('registers 20 devices, checks each in once and prints the summary', async () => {
    const run = await simulate(fleet.repo.baseUrl, '0');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Registered 20 simulated devices \(tag sim-[0-9a-f]{8}\)/);
    assert.match(run.stdout, /Summary: 20 devices, 20 check-ins \(0 errors\)/);
    assert.match(run.stdout, /offered 0, installed 0, failed 0/);
    const tag = /tag (sim-[0-9a-f]{8})/.exec(run.stdout)?.[1];
    const listed = await fleet.repo.analyst.inject({
      method: 'GET',
      url: `/api/v1/devices?tag=${tag}&limit=50`,
    });
    assert.equal(listed.json().total, 20);
  });

  it('installs an offered target on the fleet, with about the requested share failing', async () => {
    fleet.proxy.reset();
    const { release, bytes, artifact } = await fleet.repo.release(4000);
    await fleet.repo.signTargets();
    const version = release.version as string;
    fleet.offer({
      path: release.targetPath,
      length: bytes.length,
      sha256: artifact.sha256,
      version,
      releaseId: release.id,
      mode: 'forced',
    });
    const run = await simulate(fleet.proxy.url, '0.5');
    assert.equal(run.code, 0, run.stderr);
    const summary = /Summary:[\s\S]*offered 20, installed (\d+), failed (\d+) \(([^)]*)\)/.exec(run.stdout);
    assert.ok(summary, run.stdout);
    const [installed, failed] = [Number(summary[1]), Number(summary[2])];
    assert.equal(installed + failed, 20);
    assert.ok(installed > 0 && failed > 0, `installed ${installed}, failed ${failed}`);
    assert.match(summary[3] ?? '', /E_(FLASH_VERIFY|POWER_LOSS|BOOT_LOOP|NO_SPACE)/);
    assert.equal(await countReports('install-succeeded'), installed);
    assert.equal(await countReports('install-failed'), failed);
  });

  it('follows a real rollout: every device is offered the release by the director itself', async () => {
    fleet.proxy.reset();
    const { release } = await fleet.repo.release(3000);
    await fleet.repo.signTargets();
    const inject = fleet.repo.analyst.inject;
    const created = await inject({
      method: 'POST',
      url: '/api/v1/rollouts',
      payload: {
        releaseId: release.id,
        stages: [{ percent: 100, minMinutes: 30, minReports: 5 }],
        failureThreshold: 90,
        minReportsBeforeHalt: 1000,
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
    // A device whose install failed is offered the release again at its next check-in, until it runs it.
    const run = await simulate(fleet.repo.baseUrl, '0.25', [
      ...['--until-installed', '--duration', '60', '--interval', '0.05'],
    ]);
    assert.equal(run.code, 0, run.stderr);
    const summary = /Summary:[\s\S]*offered (\d+), installed (\d+), failed (\d+)/.exec(run.stdout);
    assert.ok(summary, run.stdout);
    const [offered, installed, failed] = [Number(summary[1]), Number(summary[2]), Number(summary[3])];
    assert.equal(installed, 20, run.stdout);
    assert.equal(offered, installed + failed, run.stdout);
    assert.ok(Number(/in ([\d.]+)s/.exec(run.stdout)?.[1]) < 50, 'stopped once all had installed');
  });
});
