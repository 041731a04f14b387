// From a case row and its history to the facts its clocks are computed from (clocks/case-clocks.ts),
// and the clocks a case shows: a case closed as needing no fix shows no fix or disclosure clock.

import type { StateMove } from './clock-store.ts';
import type { CaseClock, CaseFacts, CraReportKey } from './clocks/case-clocks.ts';
import { caseClocks } from './clocks/case-clocks.ts';
import type { DraftFacts } from './clocks/regulator-drafts.ts';
import type { ResponsePolicy } from './clocks/response-policy.ts';
import type { AffectsRow, CaseRow } from './store.ts';

/** States that say there is nothing to fix or disclose: the fix and disclosure clocks are omitted. */
export const noFixStates: readonly string[] = ['not-a-vulnerability', 'out-of-scope', 'duplicate'];

const firstMove = (moves: readonly StateMove[], test: (move: StateMove) => boolean) =>
  moves.find(test)?.at ?? null;

const craSubmitted = (row: CaseRow): Partial<Record<CraReportKey, Date>> =>
  Object.fromEntries(Object.entries(row.cra_reports_submitted ?? {}).map(([key, at]) => [key, new Date(at)]));

/**
 * The clock facts of a case. Acknowledged = first move out of `new`, triaged = first move out of
 * `triage`; fix available and disclosed are the recorded dates, or else the first move into
 * `fix-available` and `disclosed`. Received = the earliest report (the case's creation if it has none).
 */
export function caseFacts(
  row: CaseRow,
  receivedAt: Date | undefined,
  moves: readonly StateMove[],
): CaseFacts {
  return {
    receivedAt: receivedAt ?? row.created_at,
    acknowledgedAt: firstMove(moves, (m) => m.from === 'new'),
    triagedAt: firstMove(moves, (m) => m.from === 'triage'),
    severity: row.cvss_severity,
    fixAvailableAt: row.fix_available_at ?? firstMove(moves, (m) => m.to === 'fix-available'),
    disclosedAt: row.disclosed_at ?? firstMove(moves, (m) => m.to === 'disclosed'),
    agreedDisclosureAt: row.agreed_disclosure_at,
    activelyExploitedSince: row.actively_exploited_since,
    severeIncidentSince: row.severe_incident_since,
    craReportsSubmittedAt: craSubmitted(row),
  };
}

/** The clocks the case shows at `now`. */
export function clocksOfCase(row: CaseRow, facts: CaseFacts, policy: ResponsePolicy, now: Date): CaseClock[] {
  const clocks = caseClocks(facts, policy, now);
  if (!noFixStates.includes(row.state)) return clocks;
  return clocks.filter((clock) => clock.key !== 'fix' && clock.key !== 'disclosure');
}

/** What the CRA drafts can take from the case; the rest stays "[to be completed]". */
export function draftFactsOf(row: CaseRow, facts: CaseFacts, affects: readonly AffectsRow[]): DraftFacts {
  return {
    ...facts,
    caseNumber: row.number,
    productsAffected: affects.map((a) => `${a.model_name}, firmware ${a.version_range}`),
    vulnerabilityDescription: row.summary,
    cweId: row.cwe_id,
    cvssVector: row.cvss_vector,
    cvssScore: row.cvss_score,
    securityUpdate:
      affects
        .filter((a) => a.fixed_in)
        .map((a) => `${a.model_name}: firmware ${a.fixed_in}`)
        .join('; ') || null,
  };
}
