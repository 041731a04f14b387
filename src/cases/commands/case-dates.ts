// The dates of a case that drive its clocks (see docs/response-clocks.md), as PATCH /cases/:id sets
// them: parsed once, then compared with the row to give the columns to write and one event per change.
import { type FieldErrors, Invalid } from '../../platform/errors.ts';
import type { CaseChange } from '../case-events.ts';
import type { CraReportKey } from '../clocks/case-clocks.ts';
import type { CaseColumns, CaseRow } from '../store.ts';

export const craReportKeys: readonly CraReportKey[] = [
  'cra-vulnerability-early-warning',
  'cra-vulnerability-notification',
  'cra-vulnerability-final-report',
  'cra-incident-early-warning',
  'cra-incident-notification',
  'cra-incident-final-report',
];

const dateFields = {
  fixAvailableAt: { column: 'fix_available_at', kind: 'FIX_AVAILABLE_AT_CHANGED' },
  disclosedAt: { column: 'disclosed_at', kind: 'DISCLOSED_AT_CHANGED' },
  agreedDisclosureAt: { column: 'agreed_disclosure_at', kind: 'AGREED_DISCLOSURE_AT_CHANGED' },
  activelyExploitedSince: { column: 'actively_exploited_since', kind: 'ACTIVELY_EXPLOITED_SINCE_CHANGED' },
  severeIncidentSince: { column: 'severe_incident_since', kind: 'SEVERE_INCIDENT_SINCE_CHANGED' },
} as const;

type DateField = keyof typeof dateFields;

export type CaseDateChanges = Partial<Record<DateField, string | null | undefined>> & {
  /** CRA report key → when it was submitted (null: not submitted after all). */
  craReportsSubmittedAt?: Record<string, string | null> | undefined;
};

export type ParsedDates = {
  dates: Partial<Record<DateField, Date | null>>;
  cra: Partial<Record<CraReportKey, Date | null>>;
};

function parseInstant(value: string, field: string, fields: FieldErrors): Date | null {
  const at = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(at.getTime())) {
    fields[field] = 'must be a date and time such as 2026-11-25T10:00:00Z';
    return null;
  }
  return at;
}

/** Checks the dates given; throws Invalid naming each bad one. */
export function parseCaseDates(changes: CaseDateChanges): ParsedDates {
  const fields: FieldErrors = {};
  const parsed: ParsedDates = { dates: {}, cra: {} };
  for (const field of Object.keys(dateFields) as DateField[]) {
    const value = changes[field];
    if (value === undefined) continue;
    parsed.dates[field] = value === null ? null : parseInstant(value, field, fields);
  }
  for (const [key, value] of Object.entries(changes.craReportsSubmittedAt ?? {})) {
    const name = `craReportsSubmittedAt.${key}`;
    if (!craReportKeys.includes(key as CraReportKey)) {
      fields[name] = `is not a CRA report; known: ${craReportKeys.join(', ')}`;
      continue;
    }
    parsed.cra[key as CraReportKey] = value === null ? null : parseInstant(value, name, fields);
  }
  if (Object.keys(fields).length > 0) throw new Invalid(fields);
  return parsed;
}

const iso = (value: Date | null | undefined) => (value ? value.toISOString() : null);

/** The columns to write and the events to record for the dates that really change. */
export function dateChanges(
  before: CaseRow,
  parsed: ParsedDates,
): { values: CaseColumns; events: CaseChange[] } {
  const values: CaseColumns = {};
  const events: CaseChange[] = [];
  for (const [field, to] of Object.entries(parsed.dates) as [DateField, Date | null][]) {
    const { column, kind } = dateFields[field];
    const from = before[column];
    if (iso(from) === iso(to)) continue;
    values[column] = to;
    events.push({ kind, from: iso(from), to: iso(to) });
  }
  const submitted = { ...before.cra_reports_submitted };
  let craChanged = false;
  for (const [report, to] of Object.entries(parsed.cra) as [CraReportKey, Date | null][]) {
    const from = submitted[report] ?? null;
    if (from === iso(to)) continue;
    if (to === null) delete submitted[report];
    else submitted[report] = to.toISOString();
    craChanged = true;
    events.push({
      kind: 'CRA_REPORT_SUBMITTED_CHANGED',
      from: { report, at: from },
      to: { report, at: iso(to) },
    });
  }
  if (craChanged) values.cra_reports_submitted = JSON.stringify(submitted);
  return { values, events };
}
