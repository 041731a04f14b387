// Every case's clocks at one instant, for the overdue view and the reminder scan: the cases whose
// clocks may still run (clock-store.ts), their facts, and the clocks each shows.
import type { Db } from '../db/database.ts';
import { caseFacts, clocksOfCase } from './case-facts.ts';
import { findClockInputs, listCaseIdsWithClocks } from './clock-store.ts';
import type { CaseClock } from './clocks/case-clocks.ts';
import type { ResponsePolicy } from './clocks/response-policy.ts';
import { type CaseRow, findCases } from './store.ts';

export type CaseWithClocks = { row: CaseRow; clocks: CaseClock[] };

/** Cases whose clocks may still run, each with its clocks at `now`. */
export async function casesWithClocks(db: Db, policy: ResponsePolicy, now: Date): Promise<CaseWithClocks[]> {
  const ids = await listCaseIdsWithClocks(db);
  const [rows, inputs] = await Promise.all([findCases(db, ids), findClockInputs(db, ids)]);
  return rows.map((row) => {
    const facts = caseFacts(row, inputs.receivedAt.get(row.id), inputs.moves.get(row.id) ?? []);
    return { row, clocks: clocksOfCase(row, facts, policy, now) };
  });
}

export type OverdueCase = { row: CaseRow; overdue: CaseClock[] };

/**
 * The cases with at least one overdue clock, most overdue first (the earliest missed deadline),
 * each with its overdue clocks, earliest deadline first.
 */
export async function overdueCases(db: Db, policy: ResponsePolicy, now: Date): Promise<OverdueCase[]> {
  const due = (clock: CaseClock) => clock.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
  return (await casesWithClocks(db, policy, now))
    .map(({ row, clocks }) => ({
      row,
      overdue: clocks.filter((clock) => clock.state === 'overdue').sort((a, b) => due(a) - due(b)),
    }))
    .filter((c) => c.overdue.length > 0)
    .sort(
      (a, b) =>
        due(a.overdue[0] as CaseClock) - due(b.overdue[0] as CaseClock) ||
        a.row.number.localeCompare(b.row.number),
    );
}
