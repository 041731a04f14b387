// The maker's response policy: how fast each case must move, in the maker's own working calendar.
// Admins edit it; the defaults suit a device maker. Stored in `settings` under 'response_policy'.
import type { Db } from '../../db/database.ts';
import { Invalid } from '../../platform/errors.ts';
import { formatLocalDate, isKnownTimeZone, type WorkCalendar } from './business-days.ts';

/** Severity levels with a fix target. A case with severity none or not yet set uses the medium target. */
export const fixSeverities = ['critical', 'high', 'medium', 'low'] as const;
export type FixSeverity = (typeof fixSeverities)[number];
export type CaseSeverity = FixSeverity | 'none' | null | undefined;

export type ResponsePolicy = {
  /** Business days after the day of arrival (see business-days.ts). */
  acknowledgeWithinBusinessDays: number;
  /** Calendar days after the day of arrival. */
  triageWithinDays: number;
  /** Calendar days after the day of arrival, by severity. */
  fixWithinDays: Record<FixSeverity, number>;
  /** Calendar days after the day of arrival, unless a disclosure date is agreed with the reporter. */
  disclosureWithinDays: number;
  /** IANA time zone in which days begin and end, e.g. Europe/Berlin. */
  timeZone: string;
  /** ISO weekdays: 1 = Monday … 7 = Sunday. */
  workingDays: number[];
  /** Public holidays as YYYY-MM-DD dates in the maker's time zone, sorted. */
  holidays: string[];
};

export const defaultResponsePolicy: ResponsePolicy = {
  acknowledgeWithinBusinessDays: 2,
  triageWithinDays: 7,
  fixWithinDays: { critical: 30, high: 60, medium: 90, low: 180 },
  disclosureWithinDays: 90,
  timeZone: 'UTC',
  workingDays: [1, 2, 3, 4, 5],
  holidays: [],
};

const KEY = 'response_policy';
const MAX_DAYS = 3650;

/** The fix target that applies to a severity, and whether the medium fallback was used. */
export function fixTargetFor(
  policy: ResponsePolicy,
  severity: CaseSeverity,
): { days: number; severity: FixSeverity; fallback: boolean } {
  if (severity && severity !== 'none')
    return { days: policy.fixWithinDays[severity], severity, fallback: false };
  return { days: policy.fixWithinDays.medium, severity: 'medium', fallback: true };
}

export function workCalendarOf(policy: ResponsePolicy): WorkCalendar {
  return { timeZone: policy.timeZone, workingDays: policy.workingDays, holidays: policy.holidays };
}

const wholeDays = (value: unknown, min: number, max: number) =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return (
    formatLocalDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }) === value
  );
}

function checkFixTargets(
  value: unknown,
  errors: Record<string, string>,
): Record<FixSeverity, number> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    errors.fixWithinDays = 'must give days for critical, high, medium and low';
    return undefined;
  }
  const given = value as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(fixSeverities as readonly string[]).includes(key))
      errors[`fixWithinDays.${key}`] = 'is not a severity';
  }
  for (const severity of fixSeverities) {
    if (!wholeDays(given[severity], 1, MAX_DAYS)) {
      errors[`fixWithinDays.${severity}`] = `must be a whole number of days from 1 to ${MAX_DAYS}`;
    }
  }
  const days = given as Record<FixSeverity, number>;
  for (let i = 1; i < fixSeverities.length; i++) {
    const [tighter, looser] = [fixSeverities[i - 1] as FixSeverity, fixSeverities[i] as FixSeverity];
    if (
      !errors[`fixWithinDays.${tighter}`] &&
      !errors[`fixWithinDays.${looser}`] &&
      days[tighter] > days[looser]
    ) {
      errors[`fixWithinDays.${tighter}`] =
        `must not be longer than the ${looser} target (${days[looser]} days)`;
    }
  }
  return { critical: days.critical, high: days.high, medium: days.medium, low: days.low };
}

function checkField(key: string, value: unknown, errors: Record<string, string>): unknown {
  switch (key) {
    case 'acknowledgeWithinBusinessDays':
      if (!wholeDays(value, 1, 60)) errors[key] = 'must be a whole number of business days from 1 to 60';
      return value;
    case 'triageWithinDays':
    case 'disclosureWithinDays':
      if (!wholeDays(value, 1, MAX_DAYS))
        errors[key] = `must be a whole number of days from 1 to ${MAX_DAYS}`;
      return value;
    case 'fixWithinDays':
      return checkFixTargets(value, errors);
    case 'timeZone':
      if (typeof value !== 'string' || value.trim() === '' || !isKnownTimeZone(value)) {
        errors[key] = 'must be an IANA time zone such as Europe/Berlin or UTC';
      }
      return value;
    case 'workingDays':
      if (
        !Array.isArray(value) ||
        value.length === 0 ||
        value.some((d) => !wholeDays(d, 1, 7)) ||
        new Set(value).size !== value.length
      ) {
        errors[key] = 'must list at least one weekday, each once, as 1 (Monday) to 7 (Sunday)';
        return value;
      }
      return [...value].sort((a, b) => a - b);
    case 'holidays': {
      if (!Array.isArray(value)) {
        errors[key] = 'must be a list of dates (YYYY-MM-DD)';
        return value;
      }
      const bad = value.filter((d) => !isCalendarDate(d));
      if (bad.length > 0)
        errors[key] = `must be a list of dates (YYYY-MM-DD); not a date: ${bad.slice(0, 3).join(', ')}`;
      return [...new Set(value as string[])].sort();
    }
    default:
      errors[key] = 'is not a response policy setting';
      return value;
  }
}

/**
 * Checks an edit of the response policy field by field; throws Invalid naming each bad field.
 *
 * @example
 * checkResponsePolicy({ timeZone: 'Europe/Berlin', holidays: ['2026-12-25'] }) // → the same, normalised
 */
export function checkResponsePolicy(candidate: Record<string, unknown>): Partial<ResponsePolicy> {
  const errors: Record<string, string> = {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(candidate)) out[key] = checkField(key, value, errors);
  if (Object.keys(errors).length > 0) throw new Invalid(errors, 'The response policy has invalid settings');
  return out as Partial<ResponsePolicy>;
}

export async function loadResponsePolicy(db: Db): Promise<ResponsePolicy> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  const stored = (row?.value as Partial<ResponsePolicy> | undefined) ?? {};
  return {
    ...defaultResponsePolicy,
    ...stored,
    fixWithinDays: { ...defaultResponsePolicy.fixWithinDays, ...(stored.fixWithinDays ?? {}) },
  };
}

/** Stores checked changes (from checkResponsePolicy) over the current policy and returns the result. */
export async function saveResponsePolicy(
  db: Db,
  changes: Partial<ResponsePolicy>,
  at: Date,
): Promise<ResponsePolicy> {
  const merged = { ...(await loadResponsePolicy(db)), ...changes };
  const value = JSON.stringify(merged);
  await db
    .insertInto('settings')
    .values({ key: KEY, value, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
    .execute();
  return merged;
}
