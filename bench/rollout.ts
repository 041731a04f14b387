// Rollout benchmark: a fleet of simulated devices (the real agent, `openpsirt simulate`'s code)
// registered through the import API, checking in idle for a while (the baseline), then taken through
// a four-stage rollout until every device runs the release: wall time, the server's CPU per
// check-in during the rollout against idle check-ins of the same fleet, and what the API says after.
import os from 'node:os';
import path from 'node:path';
import { registerFleet } from '../src/fleet/simulator/register-fleet.ts';
import { runFleet, type SimulationSummary } from '../src/fleet/simulator/simulate.ts';
import type { BenchOptions, EngineChoice } from './support/bench-options.ts';
import { type FleetInfo, fleetEnvironment } from './support/fleet-server.ts';
import { freshDatabase } from './support/fresh-database.ts';
import { fixed, markdownTable } from './support/tables.ts';
import { startTarget, type TargetProcess } from './support/target-process.ts';

export const description =
  'simulated devices through a full staged rollout: wall time, server CPU per check-in';

const defaultDevices = 100_000;
/** Seconds between a simulated device's check-ins (the server's own default is an hour). */
const pollSeconds = 60;
const failureRate = 0.01;
const stagePercents = [1, 10, 50, 100];

/** Each stage waits a minute and for install reports from a third of the devices it adds. */
function stagesFor(devices: number) {
  return stagePercents.map((percent, i) => {
    const added = (devices * (percent - (stagePercents[i - 1] ?? 0))) / 100;
    return { percent, minMinutes: 1, minReports: Math.max(5, Math.floor(added / 3)) };
  });
}

type Phase = { summary: SimulationSummary; seconds: number; serverCpuMs: number };
type EngineResult = {
  engine: EngineChoice;
  devices: number;
  registerSeconds: number;
  idle: Phase;
  rollout: Phase;
  /** Seconds from the start of the rollout at which each stage began, then completion. */
  timeline: { at: number; event: string }[];
  final: { state: string; installed: number; failed: number; offered: number };
};

type RolloutView = {
  state: string;
  currentStage: number;
  stats: { offered: number; installed: number; failed: number }[];
};

async function api(base: string, token: string, method: 'GET' | 'POST', url: string, body?: unknown) {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

async function phase(server: TargetProcess, run: () => Promise<SimulationSummary>): Promise<Phase> {
  const cpuBefore = await server.cpuMs();
  const started = Date.now();
  const summary = await run();
  return { summary, seconds: (Date.now() - started) / 1000, serverCpuMs: (await server.cpuMs()) - cpuBefore };
}

async function runEngine(engine: EngineChoice, options: BenchOptions): Promise<EngineResult> {
  const devices = options.devices ?? defaultDevices;
  const say = (line: string) => console.log(`  ${engine}: ${line}`);
  const database = await freshDatabase(engine);
  try {
    const server = await startTarget(
      path.join(import.meta.dirname, 'targets', 'checkin-product.ts'),
      [
        JSON.stringify(fleetEnvironment(database.dataDir, database.databaseUrl)),
        JSON.stringify({ devices: 0, firmwareBytes: 16 * 1024 }),
      ],
      { name: `rollout-${engine}-product`, cpuProfileDir: options.cpuProfileDir },
    );
    try {
      const info = server.info as FleetInfo;
      const fleetOptions = {
        url: server.url,
        failureRate,
        model: info.modelId,
        hardwareRevision: info.hardwareRevision,
        installedVersion: info.installedVersion,
        concurrency: options.connections ?? 64,
        intervalSeconds: pollSeconds,
        spreadSeconds: pollSeconds,
        progressSeconds: 15,
        out: (line: string) => say(line.trim()),
      };
      say(`registering ${devices.toLocaleString('en')} devices through POST /api/v1/devices/import`);
      const registerStarted = Date.now();
      const { devices: fleet } = await registerFleet({ ...fleetOptions, token: info.token, count: devices });
      const registerSeconds = (Date.now() - registerStarted) / 1000;
      say(`registered in ${fixed(registerSeconds, 1)} s`);

      say(`idle: every device checks in once over ${pollSeconds} s with nothing to install (the baseline)`);
      const idle = await phase(server, () =>
        runFleet(fleet, { ...fleetOptions, failureRate: 0, durationSeconds: pollSeconds }),
      );

      const stages = stagesFor(devices);
      const preview = await api(server.url, info.token, 'POST', '/api/v1/rollouts/preview', {
        releaseId: info.releaseId,
        stages,
      });
      say(`preview: ${JSON.stringify(preview.stages)}`);
      const created = await api(server.url, info.token, 'POST', '/api/v1/rollouts', {
        releaseId: info.releaseId,
        stages,
        failureThreshold: 5,
        minReportsBeforeHalt: 200,
        mode: 'forced',
      });
      const rolloutUrl = `/api/v1/rollouts/${created.id}`;
      const rolloutStarted = Date.now();
      await api(server.url, info.token, 'POST', `${rolloutUrl}/start`, {});
      const timeline: EngineResult['timeline'] = [{ at: 0, event: 'started, stage 1' }];
      let watching = true;
      const watcher = (async () => {
        let seen = { state: 'running', stage: 0 };
        while (watching) {
          await new Promise((resolve) => setTimeout(resolve, 2000));
          const view = (await api(server.url, info.token, 'GET', rolloutUrl)) as unknown as RolloutView;
          if (view.state !== seen.state || view.currentStage !== seen.stage) {
            const event = view.state === 'running' ? `stage ${view.currentStage + 1}` : view.state;
            timeline.push({ at: (Date.now() - rolloutStarted) / 1000, event });
            say(`rollout: ${event} after ${fixed((Date.now() - rolloutStarted) / 1000)} s`);
            seen = { state: view.state, stage: view.currentStage };
          }
          if (view.state !== 'running') return;
        }
      })();
      const rollout = await phase(server, () =>
        runFleet(fleet, {
          ...fleetOptions,
          durationSeconds: 3600,
          stopWhen: (summary) => summary.installed >= fleet.length,
        }),
      );
      say(
        `every device runs ${info.releaseVersion} after ${fixed(rollout.seconds)} s; waiting for the rollout to complete`,
      );
      const deadline = Date.now() + 180_000;
      while (!timeline.some((entry) => entry.event === 'completed') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      watching = false;
      await watcher;
      const view = (await api(server.url, info.token, 'GET', rolloutUrl)) as unknown as RolloutView;
      const sum = (key: 'offered' | 'installed' | 'failed') =>
        view.stats.reduce((total, stage) => total + stage[key], 0);
      return {
        engine,
        devices,
        registerSeconds,
        idle,
        rollout,
        timeline,
        final: {
          state: view.state,
          installed: sum('installed'),
          failed: sum('failed'),
          offered: sum('offered'),
        },
      };
    } finally {
      await server.stop();
    }
  } finally {
    await database.drop();
  }
}

function resultsTable(results: EngineResult[]): string {
  const perCheckIn = (p: Phase) => p.serverCpuMs / Math.max(1, p.summary.checkIns);
  return markdownTable(
    [
      'engine',
      'devices',
      'register s',
      'idle check-ins (/s)',
      'idle server CPU ms/check-in',
      'rollout wall s',
      'rollout check-ins (/s)',
      'installs (failures, devices)',
      'rollout server CPU ms/check-in',
      'vs idle',
      'server CPU s per 1,000 devices updated',
    ],
    results.map((r) => [
      r.engine,
      r.devices.toLocaleString('en'),
      fixed(r.registerSeconds, 1),
      `${r.idle.summary.checkIns} (${fixed(r.idle.summary.checkIns / r.idle.seconds)})`,
      fixed(perCheckIn(r.idle), 3),
      fixed(r.rollout.seconds),
      `${r.rollout.summary.checkIns} (${fixed(r.rollout.summary.checkIns / r.rollout.seconds)})`,
      `${r.rollout.summary.installed} (${r.rollout.summary.failed}, ${r.rollout.summary.failedDevices})`,
      fixed(perCheckIn(r.rollout), 3),
      fixed(perCheckIn(r.rollout) / perCheckIn(r.idle), 2),
      fixed(r.rollout.serverCpuMs / 1000 / (r.devices / 1000), 2),
    ]),
  );
}

export async function run(options: BenchOptions): Promise<void> {
  console.log(
    `rollout: ${options.devices ?? defaultDevices} devices polling every ${pollSeconds} s, ${failureRate * 100}% of installs failing, ` +
      `stages ${stagePercents.map((percent) => `${percent}%`).join(' / ')} (at least a minute each); ` +
      `engines ${options.engines.join(', ')}; ${os.availableParallelism()} CPUs, Node ${process.version}\n`,
  );
  const results: EngineResult[] = [];
  for (const engine of options.engines) results.push(await runEngine(engine, options));
  console.log(`\n${resultsTable(results)}\n`);
  for (const result of results) {
    console.log(
      `${result.engine} timeline: ${result.timeline.map((t) => `${t.event} at ${fixed(t.at)} s`).join(', ')}`,
    );
  }
  const problems = results.flatMap((r) => {
    const label = r.engine;
    const found = [];
    if (r.final.state !== 'completed')
      found.push(`${label}: the rollout ended ${r.final.state}, not completed`);
    if (r.final.installed !== r.devices)
      found.push(`${label}: the API counts ${r.final.installed} installed of ${r.devices}`);
    // The API counts each device once per kind of report; a device may fail, retry and succeed.
    if (r.final.failed !== r.rollout.summary.failedDevices)
      found.push(
        `${label}: the API counts ${r.final.failed} devices with a failed install, the devices ${r.rollout.summary.failedDevices}`,
      );
    if (r.rollout.summary.errors + r.idle.summary.errors > 0)
      found.push(`${label}: ${r.rollout.summary.errors + r.idle.summary.errors} check-ins failed`);
    if (r.rollout.summary.refused > 0)
      found.push(`${label}: ${r.rollout.summary.refused} instructions refused`);
    return found;
  });
  if (problems.length > 0) throw new Error(`wrong results:\n  ${problems.join('\n  ')}`);
  console.log(
    '\nThe rollout completed; the API counts every device installed and every failed install the devices saw.',
  );
}
