// The queries behind case clocks: when each case's first report arrived, its state moves (from
// which acknowledgement and triage are read), and the cases the overdue view and reminders look at.
import type { Db } from '../db/database.ts';
import type { CaseStateColumn } from '../db/schema.ts';

export type StateMove = { at: Date; from: string | null; to: string | null };

export type ClockInputs = { receivedAt: Map<string, Date>; moves: Map<string, StateMove[]> };

const stateOf = (value: unknown) => {
  const state = (value as { state?: unknown } | null)?.state;
  return typeof state === 'string' ? state : null;
};

/** For each case: its earliest report's arrival and its state moves, oldest first. */
export async function findClockInputs(db: Db, caseIds: string[]): Promise<ClockInputs> {
  const receivedAt = new Map<string, Date>();
  const moves = new Map<string, StateMove[]>();
  if (caseIds.length === 0) return { receivedAt, moves };
  const [received, events] = await Promise.all([
    db
      .selectFrom('case_reports')
      .innerJoin('reports', 'reports.id', 'case_reports.report_id')
      .select(['case_reports.case_id', (eb) => eb.fn.min('reports.created_at').as('received_at')])
      .where('case_reports.case_id', 'in', caseIds)
      .groupBy('case_reports.case_id')
      .execute(),
    db
      .selectFrom('case_events')
      .select(['case_id', 'at', 'from', 'to'])
      .where('case_id', 'in', caseIds)
      .where('kind', 'in', ['STATE_CHANGED', 'CASE_REOPENED'])
      .orderBy('id')
      .execute(),
  ]);
  for (const row of received) receivedAt.set(row.case_id, new Date(row.received_at as Date | string));
  for (const event of events) {
    const list = moves.get(event.case_id) ?? [];
    list.push({ at: event.at, from: stateOf(event.from), to: stateOf(event.to) });
    moves.set(event.case_id, list);
  }
  return { receivedAt, moves };
}

/** Cases still being worked on: every state but the ones at rest. */
export const restingStates: readonly CaseStateColumn[] = [
  'closed',
  'not-a-vulnerability',
  'out-of-scope',
  'duplicate',
];

/**
 * Ids of the cases whose clocks may still run, oldest first: those not at rest, and any case marked
 * actively exploited or with a severe incident (CRA reports are owed whatever the workflow says).
 */
export async function listCaseIdsWithClocks(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('cases')
    .select('id')
    .where((eb) =>
      eb.or([
        eb('state', 'not in', [...restingStates]),
        eb('actively_exploited_since', 'is not', null),
        eb('severe_incident_since', 'is not', null),
      ]),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}
