// Check-in benchmark: devices of a registered fleet (1,000,000 on PostgreSQL, 100,000 on PGlite)
// checking in with nothing to install, each request a different device, against a bare Fastify
// route that answers a body of the same size, interleaved. Also the bytes on the wire of one idle
// check-in and of a TUF metadata refresh when nothing changed.
// Goals from the issue: at least half the baseline's throughput and p99 under 25 ms at 256
// connections; an idle check-in under 1 KB, headers included.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Updater } from 'tuf-js';
import { type Instruction, verifyInstruction } from '../src/updates/director/instruction.ts';
import type { BenchOptions, EngineChoice } from './support/bench-options.ts';
import { type FleetInfo, fleetDevice, fleetEnvironment } from './support/fleet-server.ts';
import { freshDatabase } from './support/fresh-database.ts';
import { applyLoad, type LoadRequest, type Measurement } from './support/load.ts';
import { fixed, loadHeading, markdownTable, mean } from './support/tables.ts';
import { startTarget, type TargetProcess } from './support/target-process.ts';
import { countingProxy, rawExchange } from './support/wire-bytes.ts';

export const description =
  'device check-ins with a registered fleet against a bare route of the same answer size';

const goals = { minRatio: 0.5, maxP99Ms: 25, maxIdleBytes: 1024 };
const defaultConnections = 256;
const defaultDevices: Record<EngineChoice, number> = { postgres: 1_000_000, pglite: 100_000 };
const warmupRequests = 2000;

type Target = 'baseline' | 'product';
type RunResult = {
  engine: EngineChoice;
  target: Target;
  round: number;
  /** Closed loop (each connection sends again when answered) or a fixed rate of requests a second. */
  mode: 'closed' | `${number}/s`;
  measured: Measurement;
  serverCpuMsPerRequest: number;
  loadAverage: [number, number];
};
type WireResult = {
  engine: EngineChoice;
  checkIn: { request: number; response: number };
  tufFirst: { sent: number; received: number; requests: number };
  tufUnchanged: { sent: number; received: number; requests: number };
};

const scripts: Record<Target, string> = {
  baseline: path.join(import.meta.dirname, 'targets', 'checkin-baseline.ts'),
  product: path.join(import.meta.dirname, 'targets', 'checkin-product.ts'),
};

const nonce = () => crypto.randomBytes(16).toString('base64url');

/** Every request is the next device of the fleet, from a random starting point. */
function fleetRequests(url: string, devices: number): LoadRequest {
  let next = crypto.randomInt(devices);
  return {
    url: `${url}/device/v1/check-in`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    vary() {
      const device = fleetDevice((next++ % devices) + 1);
      return {
        headers: { authorization: `Device ${device.id}:${device.secret}` },
        body: `{"installedVersion":"1.0.0","nonce":"${nonce()}"}`,
      };
    },
  };
}

/** One idle check-in as a device sends it (no extra headers), checked as the device checks it. */
async function idleCheckIn(url: string, info: FleetInfo) {
  const device = fleetDevice(1);
  const sentNonce = nonce();
  const exchange = await rawExchange(url, {
    method: 'POST',
    path: '/device/v1/check-in',
    headers: { Authorization: `Device ${device.id}:${device.secret}`, 'Content-Type': 'application/json' },
    body: `{"installedVersion":"${info.installedVersion}","nonce":"${sentNonce}"}`,
  });
  if (exchange.status !== 200) throw new Error(`idle check-in answered ${exchange.status}: ${exchange.body}`);
  const key = (await (await fetch(`${url}/device/v1/director-key`)).json()) as { public: string };
  const envelope = JSON.parse(exchange.body) as {
    signed: Instruction;
    signatures: { keyid: string; sig: string }[];
  };
  const check = verifyInstruction(envelope.signed, envelope.signatures[0] as never, key.public, {
    deviceId: device.id,
    nonce: sentNonce,
    now: new Date(),
  });
  if (!check.ok) throw new Error(`the idle check-in's instruction was refused: ${check.reason}`);
  if (envelope.signed.action !== 'none') throw new Error('the idle check-in was told to install');
  return exchange;
}

/** A device's TUF refresh through a byte-counting proxy: the first one, then one with nothing new. */
async function tufRefreshBytes(url: string) {
  const proxy = await countingProxy(url);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'openpsirt-bench-tuf-'));
  try {
    const root = Buffer.from(await (await fetch(`${url}/tuf/metadata/1.root.json`)).arrayBuffer());
    fs.writeFileSync(path.join(home, 'root.json'), root);
    const refresh = async () => {
      proxy.reset();
      let requests = 0;
      const updater = new Updater({
        metadataDir: home,
        metadataBaseUrl: `${proxy.url}/tuf/metadata`,
        targetBaseUrl: `${proxy.url}/tuf/targets`,
        targetDir: home,
        config: { fetchRetries: 0 },
      });
      const counting = updater as unknown as { fetcher: { fetch(url: string): Promise<unknown> } };
      const original = counting.fetcher.fetch.bind(counting.fetcher);
      counting.fetcher.fetch = (target: string) => {
        requests++;
        return original(target);
      };
      await updater.refresh();
      const counts = proxy.counts();
      return { sent: counts.sent, received: counts.received, requests };
    };
    const tufFirst = await refresh();
    const tufUnchanged = await refresh();
    return { tufFirst, tufUnchanged };
  } finally {
    await proxy.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

async function measure(
  server: TargetProcess,
  request: LoadRequest,
  options: { connections: number; duration: number; rate?: number },
  progress: (line: string) => void,
) {
  const loadBefore = os.loadavg()[0] ?? 0;
  const cpuBefore = await server.cpuMs();
  const measured = await applyLoad(request, { ...options, progress });
  const serverCpuMs = (await server.cpuMs()) - cpuBefore;
  progress(
    `${Math.round(measured.requestsPerSecond)} req/s, p50 ${measured.p50Ms} ms, p99 ${measured.p99Ms} ms`,
  );
  return {
    measured,
    serverCpuMsPerRequest: serverCpuMs / Math.max(1, measured.ok),
    loadAverage: [loadBefore, os.loadavg()[0] ?? 0] as [number, number],
  };
}

async function runEngine(engine: EngineChoice, options: BenchOptions, connections: number) {
  const devices = options.devices ?? defaultDevices[engine];
  const say = (line: string) => console.log(`  ${engine}: ${line}`);
  const database = await freshDatabase(engine);
  const results: RunResult[] = [];
  try {
    say(`starting the product and registering ${devices.toLocaleString('en')} devices`);
    const product = await startTarget(
      scripts.product,
      [
        JSON.stringify(fleetEnvironment(database.dataDir, database.databaseUrl)),
        JSON.stringify({ devices, firmwareBytes: 64 * 1024 }),
      ],
      { name: `checkin-${engine}-product`, cpuProfileDir: options.cpuProfileDir },
    );
    let baseline: TargetProcess | undefined;
    try {
      const info = product.info as FleetInfo;
      const idle = await idleCheckIn(product.url, info);
      const wire: WireResult = {
        engine,
        checkIn: { request: idle.requestBytes, response: idle.responseBytes },
        ...(await tufRefreshBytes(product.url)),
      };
      say(`idle check-in: ${idle.requestBytes} B sent, ${idle.responseBytes} B received`);
      const bodyBytes = Buffer.byteLength(idle.body);
      baseline = await startTarget(scripts.baseline, [JSON.stringify({ bodyBytes })], {
        name: `checkin-${engine}-baseline`,
        cpuProfileDir: undefined,
      });
      const servers: Record<Target, TargetProcess> = { baseline, product };
      const requests: Record<Target, LoadRequest> = {
        baseline: fleetRequests(baseline.url, devices),
        product: fleetRequests(product.url, devices),
      };
      for (const target of ['baseline', 'product'] as const) {
        say(`${target}: warming up with ${warmupRequests} requests`);
        const warmup = await applyLoad(requests[target], { connections, amount: warmupRequests });
        if (warmup.non2xx + warmup.errors > 0) {
          throw new Error(`${engine} ${target} warm-up: ${warmup.non2xx} non-2xx, ${warmup.errors} errors`);
        }
      }
      for (let round = 1; round <= options.rounds; round++) {
        for (const target of ['baseline', 'product'] as const) {
          const progress = (line: string) => say(`${target} (round ${round}/${options.rounds}): ${line}`);
          const run = await measure(
            servers[target],
            requests[target],
            { connections, duration: options.duration },
            progress,
          );
          results.push({ engine, target, round, mode: 'closed', ...run });
        }
      }
      // Devices poll on their own clocks, not when the last answer came: the same load at a fixed rate.
      const closed = mean(
        results
          .filter((r) => r.engine === engine && r.target === 'product')
          .map((r) => r.measured.requestsPerSecond),
      );
      for (const share of [0.5, 0.8]) {
        const rate = Math.round(closed * share);
        for (const target of ['baseline', 'product'] as const) {
          const progress = (line: string) => say(`${target} at ${rate}/s: ${line}`);
          const run = await measure(
            servers[target],
            requests[target],
            { connections, duration: options.duration, rate },
            progress,
          );
          results.push({ engine, target, round: 1, mode: `${rate}/s`, ...run });
        }
      }
      const seen = await product.settledCount();
      say(`${seen.toLocaleString('en')} devices have a last-seen time written`);
      if (seen < warmupRequests) throw new Error(`only ${seen} devices have a last-seen time written`);
      return { results, wire, devices, seen };
    } finally {
      await baseline?.stop();
      await product.stop();
    }
  } finally {
    await database.drop();
  }
}

function runsTable(results: RunResult[]): string {
  return markdownTable(
    [
      'engine',
      'target',
      'round',
      'load',
      'req/s',
      'p50 ms',
      'p99 ms',
      'errors/non-2xx',
      'vs baseline',
      'server CPU ms/req',
      'load avg',
    ],
    results.map((result) => {
      const baseline = results.find(
        (other) =>
          other.engine === result.engine &&
          other.round === result.round &&
          other.mode === result.mode &&
          other.target === 'baseline',
      );
      return [
        result.engine,
        result.target,
        String(result.round),
        result.mode,
        fixed(result.measured.requestsPerSecond),
        fixed(result.measured.p50Ms),
        fixed(result.measured.p99Ms),
        `${result.measured.errors}/${result.measured.non2xx}`,
        baseline ? fixed(result.measured.requestsPerSecond / baseline.measured.requestsPerSecond, 2) : '',
        fixed(result.serverCpuMsPerRequest, 3),
        `${fixed(result.loadAverage[0], 1)}–${fixed(result.loadAverage[1], 1)}`,
      ];
    }),
  );
}

function goalsTable(results: RunResult[], engines: { engine: EngineChoice; devices: number }[]): string {
  return markdownTable(
    [
      'engine',
      'devices',
      'baseline req/s',
      'product req/s',
      'ratio',
      'product p99 ms (worst)',
      `ratio >= ${goals.minRatio}`,
      `p99 < ${goals.maxP99Ms} ms`,
    ],
    engines.map(({ engine, devices }) => {
      const of = (target: Target) =>
        results.filter((r) => r.engine === engine && r.target === target && r.mode === 'closed');
      const baseline = mean(of('baseline').map((r) => r.measured.requestsPerSecond));
      const product = mean(of('product').map((r) => r.measured.requestsPerSecond));
      const worstP99 = Math.max(...of('product').map((r) => r.measured.p99Ms));
      return [
        engine,
        devices.toLocaleString('en'),
        fixed(baseline),
        fixed(product),
        fixed(product / baseline, 2),
        fixed(worstP99),
        product / baseline >= goals.minRatio ? 'met' : 'MISSED',
        worstP99 < goals.maxP99Ms ? 'met' : 'MISSED',
      ];
    }),
  );
}

function wireTable(wires: WireResult[]): string {
  return markdownTable(
    [
      'engine',
      'idle check-in sent B',
      'received B',
      'total B',
      `< ${goals.maxIdleBytes} B`,
      'first TUF refresh B (requests)',
      'TUF refresh, nothing changed B (requests)',
    ],
    wires.map((wire) => {
      const total = wire.checkIn.request + wire.checkIn.response;
      const tuf = (t: WireResult['tufFirst']) =>
        `${t.sent} + ${t.received} = ${t.sent + t.received} (${t.requests})`;
      return [
        wire.engine,
        String(wire.checkIn.request),
        String(wire.checkIn.response),
        String(total),
        total < goals.maxIdleBytes ? 'met' : 'MISSED',
        tuf(wire.tufFirst),
        tuf(wire.tufUnchanged),
      ];
    }),
  );
}

export async function run(options: BenchOptions): Promise<void> {
  const connections = options.connections ?? defaultConnections;
  console.log(loadHeading('checkin', connections, options));
  const results: RunResult[] = [];
  const wires: WireResult[] = [];
  const sizes: { engine: EngineChoice; devices: number }[] = [];
  for (const engine of options.engines) {
    const outcome = await runEngine(engine, options, connections);
    results.push(...outcome.results);
    wires.push(outcome.wire);
    sizes.push({ engine, devices: outcome.devices });
  }
  console.log(`\n${runsTable(results)}\n\n${goalsTable(results, sizes)}\n\n${wireTable(wires)}\n`);
  const problems = results
    .filter((r) => r.measured.non2xx + r.measured.errors > 0)
    .map(
      (r) =>
        `${r.engine} ${r.target} ${r.mode} round ${r.round}: ${r.measured.non2xx} non-2xx, ${r.measured.errors} errors`,
    );
  if (problems.length > 0) throw new Error(`wrong answers:\n  ${problems.join('\n  ')}`);
  console.log(
    'Every run: no errors and no non-2xx answers; every instruction checked was signed for its device and nonce.',
  );
}
