// `openpsirt simulate`: the command-line face of the fleet simulator (docs/agent.md).
import { simulate } from './simulate.ts';

const options = {
  url: { type: 'string' as const, description: 'The server (default: PUBLIC_URL)' },
  token: {
    type: 'string' as const,
    description: 'A staff API token (admin or analyst) to register the devices; or OPENPSIRT_API_TOKEN',
  },
  devices: { type: 'string' as const, description: 'How many devices (default 100)' },
  'failure-rate': { type: 'string' as const, description: 'Share of installs that fail, 0 to 1 (default 0)' },
  model: { type: 'string' as const, description: 'The devices’ model: its id or product-slug/model-slug' },
  'hardware-revision': { type: 'string' as const, description: 'One of the model’s hardware revisions' },
  'installed-version': {
    type: 'string' as const,
    description: 'The version the devices start with (default 0.0.1)',
  },
  concurrency: { type: 'string' as const, description: 'Check-ins in flight at once (default 32)' },
  duration: {
    type: 'string' as const,
    description: 'Seconds to keep checking in (default 0: one check-in each)',
  },
  interval: {
    type: 'string' as const,
    description: 'Seconds between a device’s check-ins (default: the server’s pollSeconds)',
  },
  'progress-seconds': { type: 'string' as const, description: 'Seconds between progress lines (default 5)' },
  'until-installed': {
    type: 'boolean' as const,
    description: 'Stop as soon as every device has installed an update (--duration is then the limit)',
  },
};

export function simulateCommand(usageError: (message: string) => Error) {
  const number = (value: unknown, name: string, fallback: number, min: number, max: number) => {
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
      throw usageError(`--${name} must be a number from ${min} to ${max}`);
    }
    return parsed;
  };
  return {
    summary: 'Run a simulated fleet of devices (the agent) against a server, for demos, tests and benchmarks',
    usage:
      'openpsirt simulate --model MODEL --hardware-revision REV [--devices N] [--failure-rate R] [--url URL] [--token TOKEN] [--concurrency C] [--duration S] [--interval S] [--until-installed]',
    options,
    async run(values: Record<string, string | boolean | undefined>) {
      const url = (values.url as string | undefined) ?? process.env.PUBLIC_URL ?? 'http://localhost:3000';
      const token = (values.token as string | undefined) ?? process.env.OPENPSIRT_API_TOKEN;
      if (!token) throw usageError('simulate needs a staff API token: --token TOKEN or OPENPSIRT_API_TOKEN');
      if (typeof values.model !== 'string') throw usageError('simulate needs --model');
      if (typeof values['hardware-revision'] !== 'string')
        throw usageError('simulate needs --hardware-revision');
      const summary = await simulate({
        url,
        token,
        devices: Math.round(number(values.devices, 'devices', 100, 1, 1_000_000)),
        failureRate: number(values['failure-rate'], 'failure-rate', 0, 0, 1),
        model: values.model,
        hardwareRevision: values['hardware-revision'],
        installedVersion: (values['installed-version'] as string | undefined) ?? '0.0.1',
        concurrency: Math.round(number(values.concurrency, 'concurrency', 32, 1, 10_000)),
        durationSeconds: number(values.duration, 'duration', 0, 0, 86_400),
        intervalSeconds:
          values.interval === undefined ? null : number(values.interval, 'interval', 0, 0.01, 86_400),
        progressSeconds: number(values['progress-seconds'], 'progress-seconds', 5, 0.1, 3600),
        stopWhen: values['until-installed'] ? (run) => run.installed >= run.devices : undefined,
        out: (line) => process.stdout.write(`${line}\n`),
      });
      if (summary.checkIns === 0) throw new Error('no device could check in');
    },
  };
}
