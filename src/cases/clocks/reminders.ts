// Which clocks of a case deserve a reminder mail now. Pure: the scheduler that enqueues the mails
// passes each reminder's idempotency key to the queue so that running it twice sends nothing twice.
import type { CaseClock } from './case-clocks.ts';

/** A point in a clock's window: a fraction of the time from start to due, or the moment it is overdue. */
export type ReminderThreshold = { name: string; fraction: number };

/** Half the window gone, nine tenths gone, and overdue (fraction 1 is passed only once the due instant is). */
export const defaultThresholds: readonly ReminderThreshold[] = [
  { name: '50pct', fraction: 0.5 },
  { name: '90pct', fraction: 0.9 },
  { name: 'overdue', fraction: 1 },
];

export type ClockReminder = {
  idempotencyKey: string;
  caseId: string;
  threshold: string;
  clock: CaseClock;
};

/** How much of a running or overdue clock's window has gone by at `now` (1 and above once overdue). */
export function elapsedFraction(clock: CaseClock, now: Date): number | null {
  if (!clock.startedAt || !clock.dueAt || (clock.state !== 'running' && clock.state !== 'overdue'))
    return null;
  const window = clock.dueAt.getTime() - clock.startedAt.getTime();
  if (window <= 0) return Number.POSITIVE_INFINITY;
  return (now.getTime() - clock.startedAt.getTime()) / window;
}

/**
 * The key that makes a reminder unique: case × clock × due instant × threshold. The due instant is
 * in it so that a moved deadline (a new severity, an agreed disclosure date) earns fresh reminders.
 */
export function reminderKey(caseId: string, clock: CaseClock, threshold: string): string {
  return `clock-reminder:${caseId}:${clock.key}:${clock.dueAt?.toISOString() ?? 'none'}:${threshold}`;
}

/**
 * The reminders due at `now`: for each running or overdue clock, only the furthest threshold it has
 * passed, so a scheduler that was down does not send a 50% and a 90% mail at once. Overdue counts
 * only strictly after the due instant, matching the clock's own state.
 *
 * @example
 * dueReminders('case-42', caseClocks(facts, policy, now), now)
 * // → [{ idempotencyKey: 'clock-reminder:case-42:acknowledge:2026-03-31T21:59:59.999Z:90pct', … }]
 */
export function dueReminders(
  caseId: string,
  clocks: readonly CaseClock[],
  now: Date,
  thresholds: readonly ReminderThreshold[] = defaultThresholds,
): ClockReminder[] {
  const ordered = [...thresholds].sort((a, b) => b.fraction - a.fraction);
  const reminders: ClockReminder[] = [];
  for (const clock of clocks) {
    const fraction = elapsedFraction(clock, now);
    if (fraction === null) continue;
    const passed = ordered.find((t) =>
      t.fraction >= 1 ? clock.state === 'overdue' : fraction >= t.fraction,
    );
    if (!passed) continue;
    reminders.push({
      idempotencyKey: reminderKey(caseId, clock, passed.name),
      caseId,
      threshold: passed.name,
      clock,
    });
  }
  return reminders;
}
