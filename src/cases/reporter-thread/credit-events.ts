// A reporter's credit choice, as the case holding their report records it: the reporter acts
// through their status link, so the event names the report, not an account.
import type { Db } from '../../db/database.ts';
import { recordCaseChanges } from '../case-events.ts';
import { findCaseOfReport } from './store.ts';

export type CreditState = {
  credit: 'named' | 'anonymous';
  creditName: string | null;
  consentAt: Date | null;
};

const asEventValue = (reportId: string, state: CreditState) => ({
  reportId,
  credit: state.credit,
  creditName: state.creditName,
  consentAt: state.consentAt?.toISOString() ?? null,
});

/** Records CREDIT_CHANGED on the report's case, in the caller's transaction; nothing when no case holds it. */
export async function recordCreditChangeInCase(
  trx: Db,
  change: { reportId: string; trackingId: string; from: CreditState; to: CreditState; at: Date },
): Promise<void> {
  const caseId = await findCaseOfReport(trx, change.reportId);
  if (!caseId) return;
  const reporter = {
    actor: `reporter:${change.trackingId}`,
    actorLabel: `Reporter of ${change.trackingId} (status link)`,
  };
  await recordCaseChanges(trx, reporter, caseId, change.at, [
    {
      kind: 'CREDIT_CHANGED',
      from: asEventValue(change.reportId, change.from),
      to: asEventValue(change.reportId, change.to),
    },
  ]);
}
