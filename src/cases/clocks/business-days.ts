// Calendar arithmetic in the maker's own time zone, with Intl offsets and no date library.
//
// The rule for every day-based deadline: the day on which something arrives never counts. A deadline
// of N (business or calendar) days ends at the last millisecond (23:59:59.999 local time, or just
// before the next local midnight on a day with a DST change) of the Nth counted day after the local
// day of arrival. A report that arrives on Friday evening or on Saturday with a 2 business day
// acknowledgement target is therefore due at the end of Tuesday (Monday is day 1, Tuesday day 2).

/** A date on a local wall calendar, without time or zone. Months run 1 to 12. */
export type LocalDate = { year: number; month: number; day: number };

/** When the maker works: an IANA zone, ISO weekdays (1 = Monday … 7 = Sunday) and holidays (YYYY-MM-DD). */
export type WorkCalendar = {
  timeZone: string;
  workingDays: readonly number[];
  holidays: readonly string[];
};

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when `timeZone` is a zone this runtime knows (IANA names such as Europe/Berlin, or UTC). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The local wall-clock reading of an instant in a zone, with milliseconds from the instant. */
function wallClock(instant: number, timeZone: string) {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
    ms: ((instant % 1000) + 1000) % 1000,
  };
}

/** How far the zone's wall clock is ahead of UTC at this instant, in milliseconds (Berlin in winter: 3,600,000). */
export function zoneOffsetMs(instant: Date | number, timeZone: string): number {
  const t = typeof instant === 'number' ? instant : instant.getTime();
  const w = wallClock(t, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.ms) - t;
}

/** The local calendar date of an instant in a zone. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  const w = wallClock(instant.getTime(), timeZone);
  return { year: w.year, month: w.month, day: w.day };
}

export function addDaysToDate(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  const sunday0 = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return sunday0 === 0 ? 7 : sunday0;
}

export function formatLocalDate(date: LocalDate): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

const sameDate = (a: LocalDate, b: LocalDate) => a.year === b.year && a.month === b.month && a.day === b.day;

/**
 * The first instant of a local day. Usually local midnight; where a DST change skips midnight
 * (America/Santiago in September), the moment the clocks jump forward; where midnight happens twice,
 * the first one.
 */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  const utcMidnight = Date.UTC(date.year, date.month - 1, date.day);
  // The offsets in force around that day; one of them is the offset of the day's first instant.
  const offsets = new Set([
    zoneOffsetMs(utcMidnight - DAY_MS, timeZone),
    zoneOffsetMs(utcMidnight, timeZone),
    zoneOffsetMs(utcMidnight + DAY_MS, timeZone),
  ]);
  const candidates = [...offsets]
    .map((offset) => utcMidnight - offset)
    .filter((t) => sameDate(localDateOf(new Date(t), timeZone), date))
    .sort((a, b) => a - b);
  const first = candidates[0];
  if (first === undefined) throw new RangeError(`No instant starts ${formatLocalDate(date)} in ${timeZone}`);
  return new Date(first);
}

/** The last millisecond of a local day (23:59:59.999, or just before the next day starts). */
export function endOfLocalDay(date: LocalDate, timeZone: string): Date {
  return new Date(startOfLocalDay(addDaysToDate(date, 1), timeZone).getTime() - 1);
}

export function isBusinessDay(date: LocalDate, calendar: WorkCalendar): boolean {
  return (
    calendar.workingDays.includes(isoWeekday(date)) && !calendar.holidays.includes(formatLocalDate(date))
  );
}

/**
 * The end of the Nth business day after the local day on which `from` falls; that day itself never
 * counts, whether or not it is a business day. With N = 0, the end of the first business day on or
 * after the day of arrival.
 *
 * @example
 * // Friday 2026-03-27 18:30 in Berlin, 2 business days → Tuesday 2026-03-31 23:59:59.999 +02:00
 * addBusinessDays(new Date('2026-03-27T17:30:00Z'), 2, { timeZone: 'Europe/Berlin', workingDays: [1, 2, 3, 4, 5], holidays: [] });
 */
export function addBusinessDays(from: Date, n: number, calendar: WorkCalendar): Date {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError('The number of business days must be a whole number ≥ 0');
  if (!calendar.workingDays.some((d) => d >= 1 && d <= 7))
    throw new RangeError('The calendar has no working days');
  let date = localDateOf(from, calendar.timeZone);
  let counted = 0;
  if (n === 0) {
    // Ten years of holidays in a row is not a calendar; stop rather than loop for ever.
    for (let guard = 0; !isBusinessDay(date, calendar); guard++) {
      if (guard > 3660) throw new RangeError('No business day within ten years');
      date = addDaysToDate(date, 1);
    }
    return endOfLocalDay(date, calendar.timeZone);
  }
  for (let guard = 0; counted < n; guard++) {
    if (guard > 3660 + n * 7) throw new RangeError('No business day within ten years');
    date = addDaysToDate(date, 1);
    if (isBusinessDay(date, calendar)) counted++;
  }
  return endOfLocalDay(date, calendar.timeZone);
}

/** The end of the Nth calendar day after the local day on which `from` falls (same rule, every day counts). */
export function addCalendarDays(from: Date, n: number, timeZone: string): Date {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('The number of days must be a whole number ≥ 0');
  return endOfLocalDay(addDaysToDate(localDateOf(from, timeZone), n), timeZone);
}
