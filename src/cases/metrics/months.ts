// Calendar months ('YYYY-MM') in the maker's time zone: which month a case was received in, the
// months of a range, and the instants a range starts and ends at. Pure; see docs/metrics.md.
import { localDateOf, startOfLocalDay } from '../clocks/business-days.ts';

/** A month written 'YYYY-MM' (months 01 to 12). */
export type Month = string;

export const monthPattern = '^[0-9]{4}-(0[1-9]|1[0-2])$';
const monthExpression = new RegExp(monthPattern);

export const isMonth = (value: string): value is Month => monthExpression.test(value);

const parts = (month: Month) => ({ year: Number(month.slice(0, 4)), month: Number(month.slice(5, 7)) });
const format = (year: number, month: number): Month =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;

/** The month `n` months after (or before, for negative `n`) `month`. */
export function addMonths(month: Month, n: number): Month {
  const p = parts(month);
  const index = p.year * 12 + (p.month - 1) + n;
  return format(Math.floor(index / 12), (index % 12) + 1);
}

/** The local month of an instant in a time zone: 23:30 UTC on 31 January is February in Berlin. */
export function monthOf(instant: Date, timeZone: string): Month {
  const date = localDateOf(instant, timeZone);
  return format(date.year, date.month);
}

/** Every month from `from` to `to`, both included, oldest first; empty when `from` is after `to`. */
export function monthsBetween(from: Month, to: Month): Month[] {
  const months: Month[] = [];
  for (let month = from; month <= to; month = addMonths(month, 1)) months.push(month);
  return months;
}

/** The first instant of the month in the time zone (local midnight of its first day). */
export function startOfMonth(month: Month, timeZone: string): Date {
  return startOfLocalDay({ ...parts(month), day: 1 }, timeZone);
}

/** The instants the months `from`…`to` cover: from the start of `from` up to (not including) the month after `to`. */
export function monthRangeInstants(from: Month, to: Month, timeZone: string): { start: Date; end: Date } {
  return { start: startOfMonth(from, timeZone), end: startOfMonth(addMonths(to, 1), timeZone) };
}
