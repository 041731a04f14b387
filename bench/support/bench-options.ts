// What every benchmark is given by bench/run.ts, and the shape a benchmark module exports.

export type EngineChoice = 'pglite' | 'postgres';

export type BenchOptions = {
  /** Seconds of measured load per run. */
  duration: number;
  /** Concurrent HTTP connections of the load generator; unset: the benchmark's default. */
  connections: number | undefined;
  /** Registered devices for the fleet benchmarks; unset: the benchmark's default. */
  devices: number | undefined;
  /** Engines to run on, in order. */
  engines: EngineChoice[];
  /** How many times each target runs; runs of different targets are interleaved. */
  rounds: number;
  /** Write a V8 CPU profile of each server process into this folder. */
  cpuProfileDir: string | undefined;
};

export type Benchmark = {
  /** One line for the list printed by `npm run bench`. */
  description: string;
  /** Runs the benchmark and prints its results; throws when a result is wrong (not merely slow). */
  run(options: BenchOptions): Promise<void>;
};
