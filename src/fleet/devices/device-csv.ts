// Devices as CSV, for factories' provisioning lists: one device per line after a header line naming
// the columns; problems are reported by line number.
import { parse } from 'csv-parse/sync';
import { Invalid } from '../../platform/errors.ts';
import type { DeviceSpec } from './device-input.ts';

export const deviceCsvColumns = [
  'serial',
  'model',
  'hardware_revision',
  'public_key',
  'secret',
  'installed_version',
  'tags',
  'region',
] as const;

type Column = (typeof deviceCsvColumns)[number];

/** The CSV column of each field, for problems found in a CSV import. */
export const deviceCsvColumnOf: Record<keyof DeviceSpec, Column> = {
  serial: 'serial',
  model: 'model',
  hardwareRevision: 'hardware_revision',
  publicKey: 'public_key',
  secret: 'secret',
  installedVersion: 'installed_version',
  tags: 'tags',
  region: 'region',
};

export type LocatedDeviceSpec = DeviceSpec & { where: string };

const required: Column[] = ['serial', 'model', 'hardware_revision'];

/** Reads the CSV into records, each with "line N" (the line the record starts on). */
export function csvToDeviceSpecs(text: string): LocatedDeviceSpec[] {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { info: true, bom: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new Invalid(
      { [`line ${line ?? 1}`]: (error as Error).message },
      'The CSV cannot be read; nothing was changed',
    );
  }
  const [first, ...rest] = records;
  if (!first) throw new Invalid({ 'line 1': 'the file is empty; the first line names the columns' });
  const header = first.record.map((name) => name.trim().toLowerCase());
  const unknown = header.filter((name) => !(deviceCsvColumns as readonly string[]).includes(name));
  const missing = required.filter((name) => !header.includes(name));
  let problem: string | undefined;
  if (unknown.length > 0) {
    problem = `unknown columns ${unknown.join(', ')}; the columns are ${deviceCsvColumns.join(', ')}`;
  } else if (missing.length > 0) problem = `the columns ${missing.join(', ')} are required`;
  else if (new Set(header).size !== header.length) problem = 'a column is named twice';
  if (problem) throw new Invalid({ 'line 1': problem }, 'The CSV was refused; nothing was changed');

  return rest.map((entry) => {
    const cell = (column: Column): string | undefined => {
      const index = header.indexOf(column);
      const value = index < 0 ? undefined : entry.record[index]?.trim();
      return value === '' ? undefined : value;
    };
    const startLine =
      entry.info.lines - entry.record.reduce((sum, value) => sum + (value.match(/\n/g)?.length ?? 0), 0);
    return {
      where: `line ${startLine}`,
      serial: cell('serial') ?? '',
      model: cell('model') ?? '',
      hardwareRevision: cell('hardware_revision') ?? '',
      publicKey: cell('public_key'),
      secret: cell('secret'),
      installedVersion: cell('installed_version') ?? null,
      tags: (cell('tags') ?? '').split(/[\s;]+/).filter((tag) => tag !== ''),
      region: cell('region') ?? null,
    };
  });
}
