// The webhook events of cases (see docs/webhooks.md): built from the case row and emitted in the
// transaction of the change, so a receiver hears of every committed change and of nothing else.
// Data is small and holds no report content: receivers fetch the case through the API for more.
import type { Db } from '../db/database.ts';
import { emitWebhookEvent } from '../webhooks/events.ts';
import type { CaseRow } from './store.ts';

type CaseRef = Pick<CaseRow, 'id' | 'number' | 'title' | 'state' | 'cvss_severity'>;

/** Where staff open the case in the console. */
export const caseConsoleUrl = (publicUrl: string, caseId: string) =>
  `${publicUrl.replace(/\/+$/, '')}/console/cases/${caseId}`;

const caseData = (publicUrl: string, row: CaseRef) => ({
  caseId: row.id,
  number: row.number,
  title: row.title,
  severity: row.cvss_severity,
  url: caseConsoleUrl(publicUrl, row.id),
});

/** `case.created`, once per case (its id is derived from the case id). */
export async function emitCaseCreated(trx: Db, publicUrl: string, row: CaseRef, at: Date): Promise<void> {
  await emitWebhookEvent(trx, {
    type: 'case.created',
    id: `case.created:${row.id}`,
    occurredAt: at,
    data: { ...caseData(publicUrl, row), state: row.state },
  });
}

/** `case.state_changed`, one per STATE_CHANGED or CASE_REOPENED event (its id is derived from that event's id). */
export async function emitCaseStateChanged(
  trx: Db,
  publicUrl: string,
  move: { row: CaseRef; caseEventId: string; from: string; to: string; reopen: boolean; at: Date },
): Promise<void> {
  await emitWebhookEvent(trx, {
    type: 'case.state_changed',
    id: `case.state_changed:${move.row.id}:${move.caseEventId}`,
    occurredAt: move.at,
    data: { ...caseData(publicUrl, move.row), from: move.from, to: move.to, reopen: move.reopen },
  });
}
