// Writes a case's events, the one way every change is recorded: call it with the transaction that
// makes the change, so the change and its record commit together or not at all.
import type { Principal } from '../auth/access.ts';
import type { Db } from '../db/database.ts';
import { actorId } from '../platform/audit.ts';
import { refreshNextDue } from './inbox/next-due.ts';
import { insertCaseEvents, updateCase } from './store.ts';

export type CaseChange = { kind: string; from?: unknown; to?: unknown; reason?: string | null };

/** Who acted, as events name them (same form as the audit log). */
export const actorOf = (principal: Principal) => ({
  actor: actorId(principal),
  actorLabel: principal.via === 'token' ? `${principal.email} (API token)` : principal.email,
});

/** Someone without an account who acts on a case through a capability link: a reporter. */
export type LinkActor = { actor: string; actorLabel: string };

/**
 * Appends the events, moves the case's updated_at and recomputes its next deadline, in the caller's
 * transaction (after the change itself is written); returns the event ids.
 */
export async function recordCaseChanges(
  trx: Db,
  by: Principal | LinkActor,
  caseId: string,
  at: Date,
  changes: CaseChange[],
): Promise<string[]> {
  if (changes.length === 0) return [];
  const who = 'actor' in by ? { actor: by.actor, actorLabel: by.actorLabel } : actorOf(by);
  const ids = await insertCaseEvents(
    trx,
    changes.map((change) => ({ caseId, at, ...who, ...change })),
  );
  await updateCase(trx, caseId, {}, at);
  await refreshNextDue(trx, [caseId], at);
  return ids;
}
