// Each case's next deadline, kept in `cases.next_due_at` so the inbox can sort and filter on it with
// an index: the earliest due time among its clocks that are running or overdue, null when none.
// Written in the transaction of every change (case-events.ts), and for many cases at once by the
// refresh job (next-due-refresh.ts) when the response policy changes.
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { caseFacts, clocksOfCase } from '../case-facts.ts';
import { findClockInputs } from '../clock-store.ts';
import type { CaseClock } from '../clocks/case-clocks.ts';
import { loadResponsePolicy } from '../clocks/response-policy.ts';
import { findCases } from '../store.ts';

/**
 * The earliest due time of the clocks still to be met. Running and overdue together are the clocks
 * that have started and are not met, which does not depend on the instant they were computed at;
 * so neither does the column.
 */
export function nextDueOf(clocks: readonly CaseClock[]): Date | null {
  let earliest: Date | null = null;
  for (const clock of clocks) {
    if (clock.state !== 'running' && clock.state !== 'overdue') continue;
    if (clock.dueAt && (!earliest || clock.dueAt.getTime() < earliest.getTime())) earliest = clock.dueAt;
  }
  return earliest;
}

/**
 * Reads the response policy, waiting for a policy change in flight to commit: that change queues a
 * refresh of every case with a deadline, which cannot see a case opened in a transaction still
 * open; holding the policy row here makes the change wait for this transaction instead.
 */
async function policyHeldUntilCommit(trx: Db) {
  await sql`select 1 from settings where key = 'response_policy' for share`.execute(trx);
  return loadResponsePolicy(trx);
}

/** Recomputes and stores `next_due_at` of the given cases (call it in the transaction of the change). */
export async function refreshNextDue(trx: Db, caseIds: readonly string[], at: Date): Promise<void> {
  if (caseIds.length === 0) return;
  const ids = [...caseIds];
  const [policy, rows, inputs] = await Promise.all([
    policyHeldUntilCommit(trx),
    findCases(trx, ids),
    findClockInputs(trx, ids),
  ]);
  const values = rows.map((row) => {
    const facts = caseFacts(row, inputs.receivedAt.get(row.id), inputs.moves.get(row.id) ?? []);
    const due = nextDueOf(clocksOfCase(row, facts, policy, at));
    return sql`(${row.id}::uuid, ${due}::timestamptz)`;
  });
  if (values.length === 0) return;
  await sql`
    update cases set next_due_at = v.due
    from (values ${sql.join(values)}) as v(id, due)
    where cases.id = v.id and cases.next_due_at is distinct from v.due`.execute(trx);
}
