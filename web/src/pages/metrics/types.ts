// The answer of GET /api/v1/metrics/response-times (see src/cases/metrics/routes.ts and docs/metrics.md).

export const measureKeys = ['acknowledge', 'triage', 'fix'] as const;
export type MeasureKey = (typeof measureKeys)[number];

export type MeasureStats = {
  count: number;
  open: number;
  medianHours: number | null;
  p90Hours: number | null;
};

export type MeasureSet = Record<MeasureKey, MeasureStats>;

export type ResponseTimes = {
  from: string;
  to: string;
  timeZone: string;
  productId: string | null;
  overall: MeasureSet;
  months: (MeasureSet & { month: string })[];
  products: (MeasureSet & { productId: string; productName: string })[];
};

export const measureNames: Record<MeasureKey, string> = {
  acknowledge: 'Time to acknowledge',
  triage: 'Time to triage',
  fix: 'Time to fix',
};

export const measureHints: Record<MeasureKey, string> = {
  acknowledge: 'From the first report to the case leaving “new”.',
  triage: 'From the first report to the case leaving “triage” with a decision.',
  fix: 'From the first report to a fix or mitigation being available. Cases closed as needing no fix are left out.',
};

/** Hours as the API gives them, with one decimal: "3.6 h". */
export const formatHours = (hours: number | null) => (hours === null ? '—' : `${hours.toFixed(1)} h`);

/** "2026-01" as a short month name with the year: "Jan 2026". */
export function monthLabel(month: string, style: 'short' | 'long' = 'short'): string {
  const [year, m] = month.split('-').map(Number);
  const date = new Date(Date.UTC(year ?? 1970, (m ?? 1) - 1, 1));
  return date.toLocaleString(undefined, { month: style, year: 'numeric', timeZone: 'UTC' });
}

/** "2026-01" as the month's short name alone: "Jan". */
export function shortMonth(month: string): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  return date.toLocaleString(undefined, { month: 'short', timeZone: 'UTC' });
}
