// The clocks of one case: the maker's own response targets and, when they apply, the reporting
// deadlines of the EU Cyber Resilience Act (Regulation (EU) 2024/2847, Article 14).
import { addBusinessDays, addCalendarDays } from './business-days.ts';
import { type CaseSeverity, fixTargetFor, type ResponsePolicy, workCalendarOf } from './response-policy.ts';

/** The reports a manufacturer sends to the CSIRT coordinator and ENISA under Article 14. */
export type CraReportKey =
  | 'cra-vulnerability-early-warning'
  | 'cra-vulnerability-notification'
  | 'cra-vulnerability-final-report'
  | 'cra-incident-early-warning'
  | 'cra-incident-notification'
  | 'cra-incident-final-report';

export type ClockKey = 'acknowledge' | 'triage' | 'fix' | 'disclosure' | CraReportKey;

/** What is known about a case; null or absent means "has not happened (yet)". */
export type CaseFacts = {
  receivedAt: Date;
  acknowledgedAt?: Date | null;
  triagedAt?: Date | null;
  severity?: CaseSeverity;
  /** A fix, or a corrective or mitigating measure, is available to users. */
  fixAvailableAt?: Date | null;
  disclosedAt?: Date | null;
  /** Disclosure date agreed with the reporter; replaces the policy's disclosure target. */
  agreedDisclosureAt?: Date | null;
  /** When the maker became aware that the vulnerability is actively exploited. */
  activelyExploitedSince?: Date | null;
  /** When the maker became aware of a severe incident having an impact on the security of the product. */
  severeIncidentSince?: Date | null;
  /** When each CRA report was submitted. */
  craReportsSubmittedAt?: Partial<Record<CraReportKey, Date | null>>;
};

export type ClockState = 'running' | 'met' | 'overdue' | 'met-late' | 'not-started';

export type CaseClock = {
  key: ClockKey;
  label: string;
  /** What starts the clock, in words (shown beside a clock that has not started). */
  startsWhen: string;
  startedAt: Date | null;
  dueAt: Date | null;
  state: ClockState;
  metAt: Date | null;
  /** Time left while running (negative once overdue); null when met or not started. */
  remainingMs: number | null;
};

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** One month after an instant on the UTC calendar: same day and time, or the last day of a shorter month. */
export function addOneMonth(from: Date): Date {
  const year = from.getUTCFullYear();
  const month = from.getUTCMonth() + 1;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const result = new Date(from.getTime());
  result.setUTCDate(1);
  result.setUTCMonth(month);
  result.setUTCDate(Math.min(from.getUTCDate(), lastDay));
  return result;
}

function clock(
  key: ClockKey,
  label: string,
  startsWhen: string,
  window: { startedAt: Date; dueAt: Date } | null,
  metAt: Date | null | undefined,
  now: Date,
): CaseClock {
  const met = metAt ?? null;
  if (!window) {
    return {
      key,
      label,
      startsWhen,
      startedAt: null,
      dueAt: null,
      state: 'not-started',
      metAt: met,
      remainingMs: null,
    };
  }
  const { startedAt, dueAt } = window;
  if (met) {
    const state = met.getTime() <= dueAt.getTime() ? 'met' : 'met-late';
    return { key, label, startsWhen, startedAt, dueAt, state, metAt: met, remainingMs: null };
  }
  const remainingMs = dueAt.getTime() - now.getTime();
  const state = remainingMs >= 0 ? 'running' : 'overdue';
  return { key, label, startsWhen, startedAt, dueAt, state, metAt: null, remainingMs };
}

function responseClocks(facts: CaseFacts, policy: ResponsePolicy, now: Date): CaseClock[] {
  const received = facts.receivedAt;
  const zone = policy.timeZone;
  const fix = fixTargetFor(policy, facts.severity);
  const fixLabel = fix.fallback
    ? `Fix available (severity not set or none: the medium target of ${fix.days} days applies)`
    : `Fix available (${fix.severity}: ${fix.days} days)`;
  const agreed = facts.agreedDisclosureAt ?? null;
  const disclosureLabel = agreed
    ? 'Public disclosure (date agreed with the reporter)'
    : `Public disclosure (${policy.disclosureWithinDays} days)`;
  const after = (dueAt: Date) => ({ startedAt: received, dueAt });
  return [
    clock(
      'acknowledge',
      `Acknowledge the report (${policy.acknowledgeWithinBusinessDays} business days)`,
      'the report is received',
      after(addBusinessDays(received, policy.acknowledgeWithinBusinessDays, workCalendarOf(policy))),
      facts.acknowledgedAt,
      now,
    ),
    clock(
      'triage',
      `Triage (${policy.triageWithinDays} days)`,
      'the report is received',
      after(addCalendarDays(received, policy.triageWithinDays, zone)),
      facts.triagedAt,
      now,
    ),
    clock(
      'fix',
      fixLabel,
      'the report is received',
      after(addCalendarDays(received, fix.days, zone)),
      facts.fixAvailableAt,
      now,
    ),
    clock(
      'disclosure',
      disclosureLabel,
      'the report is received',
      after(agreed ?? addCalendarDays(received, policy.disclosureWithinDays, zone)),
      facts.disclosedAt,
      now,
    ),
  ];
}

const within = (startedAt: Date | null | undefined, ms: number) =>
  startedAt ? { startedAt, dueAt: new Date(startedAt.getTime() + ms) } : null;

/** Article 14(1)–(2): an actively exploited vulnerability in the product. */
function exploitedVulnerabilityClocks(facts: CaseFacts, now: Date): CaseClock[] {
  const aware = facts.activelyExploitedSince ?? null;
  const submitted = facts.craReportsSubmittedAt ?? {};
  // The final report is due 14 days after a corrective or mitigating measure is available, and
  // cannot be due before the maker knew of the exploitation.
  const measure =
    aware && facts.fixAvailableAt
      ? new Date(Math.max(aware.getTime(), facts.fixAvailableAt.getTime()))
      : null;
  return [
    clock(
      'cra-vulnerability-early-warning',
      'CRA early warning of an actively exploited vulnerability (24 hours, Art. 14(2)(a))',
      'the maker becomes aware that the vulnerability is actively exploited',
      within(aware, 24 * HOUR_MS),
      submitted['cra-vulnerability-early-warning'],
      now,
    ),
    clock(
      'cra-vulnerability-notification',
      'CRA vulnerability notification (72 hours, Art. 14(2)(b))',
      'the maker becomes aware that the vulnerability is actively exploited',
      within(aware, 72 * HOUR_MS),
      submitted['cra-vulnerability-notification'],
      now,
    ),
    clock(
      'cra-vulnerability-final-report',
      'CRA final report on the vulnerability (14 days after a fix or mitigation, Art. 14(2)(c))',
      'a corrective or mitigating measure is available (and the exploitation is known)',
      within(measure, 14 * DAY_MS),
      submitted['cra-vulnerability-final-report'],
      now,
    ),
  ];
}

/** Article 14(3)–(4): a severe incident having an impact on the security of the product. */
function severeIncidentClocks(facts: CaseFacts, now: Date): CaseClock[] {
  const aware = facts.severeIncidentSince ?? null;
  const submitted = facts.craReportsSubmittedAt ?? {};
  const notified = aware ? (submitted['cra-incident-notification'] ?? null) : null;
  return [
    clock(
      'cra-incident-early-warning',
      'CRA early warning of a severe incident (24 hours, Art. 14(4)(a))',
      'the maker becomes aware of the severe incident',
      within(aware, 24 * HOUR_MS),
      submitted['cra-incident-early-warning'],
      now,
    ),
    clock(
      'cra-incident-notification',
      'CRA incident notification (72 hours, Art. 14(4)(b))',
      'the maker becomes aware of the severe incident',
      within(aware, 72 * HOUR_MS),
      submitted['cra-incident-notification'],
      now,
    ),
    clock(
      'cra-incident-final-report',
      'CRA final report on the incident (one month after the incident notification, Art. 14(4)(c))',
      'the incident notification is submitted',
      notified ? { startedAt: notified, dueAt: addOneMonth(notified) } : null,
      submitted['cra-incident-final-report'],
      now,
    ),
  ];
}

/**
 * Every clock of a case at `now`: the four response clocks always, the three CRA vulnerability
 * clocks once the case is marked actively exploited, the three CRA incident clocks once a severe
 * incident is recorded.
 *
 * @example
 * caseClocks({ receivedAt: new Date('2026-03-27T17:30:00Z') }, defaultResponsePolicy, now)
 */
export function caseClocks(facts: CaseFacts, policy: ResponsePolicy, now: Date): CaseClock[] {
  return [
    ...responseClocks(facts, policy, now),
    ...(facts.activelyExploitedSince ? exploitedVulnerabilityClocks(facts, now) : []),
    ...(facts.severeIncidentSince ? severeIncidentClocks(facts, now) : []),
  ];
}
