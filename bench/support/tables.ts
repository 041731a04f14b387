// Formatting shared by the benchmarks' printed results (pasted into docs/benchmarks.md).
import os from 'node:os';

export const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

export const fixed = (value: number, digits = 0) => value.toFixed(digits);

/** A Markdown table with padded columns, so it reads in a terminal as well. */
export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** The first line of a load benchmark's output: its settings and the machine it ran on. */
export function loadHeading(
  name: string,
  connections: number,
  options: { duration: number; rounds: number; engines: string[] },
): string {
  return (
    `${name}: ${connections} connections, ${options.duration} s per run, ${options.rounds} rounds, ` +
    `engines ${options.engines.join(', ')}; ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? '?'}), ` +
    `Node ${process.version}\n`
  );
}
