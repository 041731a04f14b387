// A server under test runs in its own process, so the load generator never shares its event loop.
// The parent side (startTarget) and the child side (serveTarget) talk over the fork IPC channel.
import { type ChildProcess, fork } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/** What a child reports to the parent. */
type ChildMessage =
  | { type: 'ready'; url: string; info: unknown }
  | { type: 'stored'; count: number }
  | { type: 'cpu'; micros: number }
  | { type: 'stopped' }
  | { type: 'failed'; message: string };

/** What the parent asks of a child. */
type ParentMessage = { type: 'count' } | { type: 'cpu' } | { type: 'stop' };

export type RunningTarget = {
  url: string;
  /** Anything the parent needs to know about the target (sent once, with "ready"). */
  info?: unknown;
  /** Rows the target has stored so far. */
  countStored(): Promise<number>;
  close(): Promise<void>;
};

export type TargetProcess = {
  url: string;
  info: unknown;
  /** Rows stored once requests still in flight have settled. */
  settledCount(): Promise<number>;
  /** CPU time (user + system) the server process has used so far, in milliseconds. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
};

/** Forks `script` (a module calling serveTarget) with `args`, and resolves once it listens. */
export async function startTarget(
  script: string,
  args: string[],
  options: { name: string; cpuProfileDir: string | undefined },
): Promise<TargetProcess> {
  const execArgv = options.cpuProfileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`, `--cpu-prof-name=${options.name}.cpuprofile`]
    : [];
  // stdout is dropped: the product logs every request there, as it would in production.
  const child = fork(script, args, { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const ready = await nextMessage(child, 'ready');
  return {
    url: ready.url,
    info: ready.info,
    async settledCount() {
      send(child, { type: 'count' });
      return (await nextMessage(child, 'stored')).count;
    },
    async cpuMs() {
      send(child, { type: 'cpu' });
      return (await nextMessage(child, 'cpu')).micros / 1000;
    },
    async stop() {
      send(child, { type: 'stop' });
      await nextMessage(child, 'stopped');
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
    },
  };
}

function send(child: ChildProcess, message: ParentMessage): void {
  child.send(message);
}

function nextMessage<T extends ChildMessage['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildMessage) => {
      if (message.type === type) {
        cleanup();
        resolve(message as Extract<ChildMessage, { type: T }>);
      } else if (message.type === 'failed') {
        cleanup();
        reject(new Error(message.message));
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`server process exited (${signal ?? code}) while waiting for "${type}"`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Child side: starts the target, then answers the parent until told to stop. */
export async function serveTarget(start: () => Promise<RunningTarget>): Promise<void> {
  const reply = (message: ChildMessage) =>
    new Promise<void>((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));
  const fail = async (error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    await reply({ type: 'failed', message });
    process.exit(1);
  };
  // The parent going away must not leave a server (and a locked data folder) behind.
  process.on('disconnect', () => process.exit(1));
  let target: RunningTarget;
  try {
    target = await start();
  } catch (error) {
    return fail(error);
  }
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'count') {
      waitForSettledCount(target).then((count) => reply({ type: 'stored', count }), fail);
    } else if (message.type === 'cpu') {
      const usage = process.cpuUsage();
      void reply({ type: 'cpu', micros: usage.user + usage.system });
    } else if (message.type === 'stop') {
      target
        .close()
        .then(() => reply({ type: 'stopped' }))
        .then(() => process.exit(0), fail);
    }
  });
  await reply({ type: 'ready', url: target.url, info: target.info ?? null });
}

/**
 * The load generator drops the requests in flight when its time is up, but the server still
 * finishes them; count once the number stops moving.
 */
async function waitForSettledCount(target: RunningTarget): Promise<number> {
  let previous = await target.countStored();
  for (;;) {
    await sleep(300);
    const count = await target.countStored();
    if (count === previous) return count;
    previous = count;
  }
}
