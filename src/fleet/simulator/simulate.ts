// The fleet simulator behind `openpsirt simulate`: N devices, each a real agent (agent/) with its own
// data folder, checking in against a running server with C at a time. A simulated install fails with
// probability R and a plausible error code. Progress is printed every few seconds, then a summary.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Agent, type CheckInResult, createAgent } from '../../../agent/src/index.ts';
import { registerFleet, type SimulatedDevice } from './register-fleet.ts';

export type SimulateOptions = {
  url: string;
  token: string;
  devices: number;
  failureRate: number;
  model: string;
  hardwareRevision: string;
  installedVersion: string;
  concurrency: number;
  /** Keep checking in for this long; 0: every device checks in once. */
  durationSeconds: number;
  /** Seconds between a device's check-ins; null: obey the director's pollSeconds. */
  intervalSeconds: number | null;
  progressSeconds: number;
  out: (line: string) => void;
  /** Stop as soon as this holds (checked after every check-in), even before the duration is up. */
  stopWhen?: ((summary: SimulationSummary) => boolean) | undefined;
};

export type SimulationSummary = {
  devices: number;
  checkIns: number;
  errors: number;
  offered: number;
  installed: number;
  failed: number;
  /** Devices with at least one failed download or install (a device may fail, retry and succeed). */
  failedDevices: number;
  refused: number;
  failureCodes: Record<string, number>;
  seconds: number;
};

const installErrors = ['E_FLASH_VERIFY', 'E_POWER_LOSS', 'E_BOOT_LOOP', 'E_NO_SPACE'];

const random = () => crypto.randomBytes(4).readUInt32BE(0) / 2 ** 32;

export async function simulate(options: SimulateOptions): Promise<SimulationSummary> {
  const url = options.url.replace(/\/+$/, '');
  const { tag, devices } = await registerFleet({ ...options, url, count: options.devices });
  options.out(`Registered ${devices.length} simulated devices (tag ${tag}).`);
  return runFleet(devices, { ...options, url });
}

export type RunFleetOptions = Omit<SimulateOptions, 'token' | 'devices'> & {
  /** Spread the first check-ins evenly over this many seconds, as a fleet's polls are (default: all at once). */
  spreadSeconds?: number;
};

/**
 * Runs already registered devices, each a real agent made when it first checks in. Every call starts
 * the devices afresh at `installedVersion` with empty data folders.
 */
export async function runFleet(
  devices: SimulatedDevice[],
  options: RunFleetOptions,
): Promise<SimulationSummary> {
  const url = options.url.replace(/\/+$/, '');
  const started = Date.now();
  const key = (await (await fetch(`${url}/device/v1/director-key`)).json()) as { public: string };
  // The first root is what a device is given at manufacture; without one, installs fail verification.
  const rootResponse = await fetch(`${url}/tuf/metadata/1.root.json`);
  const trustedRoot = rootResponse.status === 200 ? Buffer.from(await rootResponse.arrayBuffer()) : '';
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'openpsirt-simulate-'));

  const summary: SimulationSummary = {
    devices: devices.length,
    checkIns: 0,
    errors: 0,
    offered: 0,
    installed: 0,
    failed: 0,
    failedDevices: 0,
    refused: 0,
    failureCodes: {},
    seconds: 0,
  };
  const failedOnce = new Set<number>();
  const fail = (index: number, code: string) => {
    summary.failed++;
    summary.failureCodes[code] = (summary.failureCodes[code] ?? 0) + 1;
    failedOnce.add(index);
    summary.failedDevices = failedOnce.size;
  };
  const count = (index: number, result: CheckInResult) => {
    summary.checkIns++;
    const outcome = result.outcome;
    if (result.action === 'install') summary.offered++;
    if (outcome.kind === 'installed') summary.installed++;
    else if (outcome.kind === 'install-failed' || outcome.kind === 'download-failed')
      fail(index, outcome.code);
    else if (outcome.kind === 'refused-target') fail(index, outcome.code);
    else if (outcome.kind === 'refused-instruction') summary.refused++;
  };

  // Made on first use: a fleet of 100,000 would otherwise start with 100,000 folders to create.
  const agents: (Agent | undefined)[] = new Array(devices.length);
  const agentOf = (index: number): Agent => {
    const existing = agents[index];
    if (existing) return existing;
    const device = devices[index] as SimulatedDevice;
    const agent = createAgent({
      serverUrl: url,
      deviceId: device.id,
      credential: { kind: 'secret', secret: device.secret },
      directorPublicKey: key.public,
      trustedRoot,
      dataDir: path.join(home, device.serial),
      currentVersion: options.installedVersion,
      hardwareRevision: options.hardwareRevision,
      model: device.modelId,
      runsAfterInstall: true,
      approve: async () => true,
      install: async () => {
        if (random() < options.failureRate) {
          throw Object.assign(new Error('simulated install failure'), {
            code: installErrors[Math.floor(random() * installErrors.length)],
          });
        }
      },
    });
    agents[index] = agent;
    return agent;
  };

  const progress = () =>
    options.out(
      `  ${Math.round((Date.now() - started) / 1000)}s: checked in ${summary.checkIns}, offered ${summary.offered}, installed ${summary.installed}, failed ${summary.failed}`,
    );
  const ticker = setInterval(progress, options.progressSeconds * 1000);
  const deadline = Date.now() + options.durationSeconds * 1000;
  // Devices wait in a queue in the order of their next check-in (first round: all due now).
  const spreadMs = (options.spreadSeconds ?? 0) * 1000;
  let queue: { index: number; due: number }[] = devices.map((_, index) => ({
    index,
    due: spreadMs > 0 ? started + (index / devices.length) * spreadMs : 0,
  }));
  let head = 0; // shift() would move the whole array each time
  const take = () => {
    if (head > 10_000 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
    return head < queue.length ? queue[head++] : undefined;
  };
  let stopped = false;
  const sleeping = new Set<() => void>();
  // Waits end early once the run is stopped, so the run ends when stopWhen holds, not a poll later.
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleeping.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleeping.add(wake);
    });
  try {
    const worker = async () => {
      for (;;) {
        if (stopped) return;
        const next = take();
        if (!next) {
          if (options.durationSeconds === 0 || Date.now() >= deadline) return;
          await sleep(50); // the others are checking in; they come back to the queue
          continue;
        }
        if (next.due > 0 && next.due >= deadline) return;
        if (next.due > Date.now()) await sleep(next.due - Date.now());
        if (stopped) return;
        const agent = agentOf(next.index);
        let pollSeconds = options.intervalSeconds ?? 3600;
        try {
          const result = await agent.checkIn();
          count(next.index, result);
          if (!stopped && options.stopWhen?.(summary)) {
            stopped = true;
            for (const wake of [...sleeping]) wake();
          }
          pollSeconds = options.intervalSeconds ?? result.pollSeconds;
        } catch {
          summary.errors++;
        }
        if (options.durationSeconds > 0)
          queue.push({ index: next.index, due: Date.now() + pollSeconds * 1000 });
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  } finally {
    clearInterval(ticker);
    fs.rmSync(home, { recursive: true, force: true });
  }
  summary.seconds = Math.round((Date.now() - started) / 100) / 10;
  const codes = Object.entries(summary.failureCodes)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  options.out(
    [
      `Summary: ${summary.devices} devices, ${summary.checkIns} check-ins (${summary.errors} errors) in ${summary.seconds}s`,
      `  offered ${summary.offered}, installed ${summary.installed}, failed ${summary.failed}${codes ? ` (${codes})` : ''}, instructions refused ${summary.refused}`,
    ].join('\n'),
  );
  return summary;
}
