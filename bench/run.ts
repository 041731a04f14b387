// Runs one benchmark: `node bench/run.ts <name> [--duration 30] [--connections 32] [--engine both]`.
// Every bench/<name>.ts exporting `description` and `run` is a benchmark; bench/support holds shared parts.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Benchmark, BenchOptions, EngineChoice } from './support/bench-options.ts';

const benchDir = import.meta.dirname;

const usage = `Usage: npm run bench -- <name> [options]

Options:
  --duration <s>       seconds of measured load per run (default 30)
  --connections <n>    concurrent connections of the load generator (default: the benchmark's own,
                       32 for intake, 256 for checkin)
  --devices <n>        registered devices for the fleet benchmarks (default: the benchmark's own)
  --engine <e>         pglite, postgres or both (default both); PostgreSQL is reached at
                       DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres)
  --rounds <n>         runs per target, interleaved with the other targets (default 2)
  --cpu-prof <dir>     write a CPU profile of each server process into <dir>`;

function benchmarkNames(): string[] {
  return fs
    .readdirSync(benchDir)
    .filter((file) => file.endsWith('.ts') && file !== 'run.ts')
    .map((file) => file.slice(0, -'.ts'.length))
    .sort();
}

async function listBenchmarks(): Promise<string> {
  const lines = [];
  for (const name of benchmarkNames()) {
    const module = (await import(path.join(benchDir, `${name}.ts`))) as Benchmark;
    lines.push(`  ${name.padEnd(20)} ${module.description}`);
  }
  return `Benchmarks:\n${lines.join('\n')}`;
}

function positiveInteger(flag: string, raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`--${flag} must be a whole number above 0`);
  return Number(raw);
}

function engines(raw: string): EngineChoice[] {
  if (raw === 'both') return ['pglite', 'postgres'];
  if (raw === 'pglite' || raw === 'postgres') return [raw];
  throw new Error('--engine must be pglite, postgres or both');
}

function parseOptions(args: string[]): { name: string | undefined; options: BenchOptions } {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      duration: { type: 'string', default: '30' },
      connections: { type: 'string' },
      devices: { type: 'string' },
      engine: { type: 'string', default: 'both' },
      rounds: { type: 'string', default: '2' },
      'cpu-prof': { type: 'string' },
    },
  });
  if (positionals.length > 1) throw new Error(`one benchmark at a time, not ${positionals.join(' ')}`);
  return {
    name: positionals[0],
    options: {
      duration: positiveInteger('duration', values.duration),
      connections: values.connections ? positiveInteger('connections', values.connections) : undefined,
      devices: values.devices ? positiveInteger('devices', values.devices) : undefined,
      engines: engines(values.engine),
      rounds: positiveInteger('rounds', values.rounds),
      cpuProfileDir: values['cpu-prof'] ? path.resolve(values['cpu-prof']) : undefined,
    },
  };
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const { name, options } = parsed;
  if (!name || !benchmarkNames().includes(name)) {
    if (name) console.error(`No benchmark named "${name}".\n`);
    console.error(`${usage}\n\n${await listBenchmarks()}`);
    return 2;
  }
  const benchmark = (await import(path.join(benchDir, `${name}.ts`))) as Benchmark;
  try {
    await benchmark.run(options);
    return 0;
  } catch (error) {
    console.error(`\nBenchmark ${name} FAILED: ${(error as Error).message}`);
    return 1;
  }
}

process.exitCode = await main();
