// The rules for inventory fields, shared by the API (create, update) and the bulk import: each check
// returns a reason a person can act on, or undefined when the value is fine.

export const limits = {
  slug: 64,
  name: 200,
  description: 4000,
  hardwareRevision: 64,
  hardwareRevisions: 100,
  version: 100,
  notes: 10_000,
};

export const slugPattern = '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$';
const slugRegex = new RegExp(slugPattern);
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
const controlCharacters = /[\u0000-\u001f\u007f]/;

export function slugProblem(value: string): string | undefined {
  if (slugRegex.test(value)) return undefined;
  return `must be 1 to ${limits.slug} lowercase letters, digits and inner hyphens, like "c200-camera"`;
}

export function nameProblem(value: string): string | undefined {
  if (value.trim() === '') return 'must not be empty';
  if (value.length > limits.name) return `must be at most ${limits.name} characters`;
  if (controlCharacters.test(value)) return 'must be one line without control characters';
  return undefined;
}

export function textProblem(value: string, max: number): string | undefined {
  return value.length > max ? `must be at most ${max} characters` : undefined;
}

/** A calendar date written YYYY-MM-DD that exists (no 2026-02-30). */
export function dateProblem(value: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) {
      return undefined;
    }
  }
  return 'must be a date written YYYY-MM-DD';
}

export function versionProblem(value: string): string | undefined {
  if (value.trim() === '') return 'must not be empty';
  if (value !== value.trim()) return 'must not start or end with spaces';
  if (value.length > limits.version) return `must be at most ${limits.version} characters`;
  if (controlCharacters.test(value)) return 'must not contain control characters';
  if (!/[0-9A-Za-z]/.test(value)) return 'must contain a letter or a digit';
  return undefined;
}

export function hardwareRevisionsProblem(values: string[]): string | undefined {
  if (values.length > limits.hardwareRevisions) return `at most ${limits.hardwareRevisions} revisions`;
  for (const value of values) {
    if (value.trim() === '' || value !== value.trim())
      return 'each revision must be non-empty, without outer spaces';
    if (value.length > limits.hardwareRevision)
      return `each revision at most ${limits.hardwareRevision} characters`;
    if (controlCharacters.test(value) || value.includes(';'))
      return 'revisions must not contain ";" or control characters';
  }
  if (new Set(values).size !== values.length) return 'lists a revision twice';
  return undefined;
}

/** Collects the problems of several fields and reports them together. */
export class FieldProblems {
  readonly fields: Record<string, string> = {};
  check(field: string, problem: string | undefined): void {
    if (problem !== undefined && this.fields[field] === undefined) this.fields[field] = problem;
  }
  get empty(): boolean {
    return Object.keys(this.fields).length === 0;
  }
}
