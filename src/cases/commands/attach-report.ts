// Attaches a report to an existing case as a duplicate: both reports are kept, the case records the
// attachment, and every reporter of the case is told (status page and, with an email address, a
// mail with a fresh link), all in the transaction of the attachment.
import type { Principal } from '../../auth/access.ts';
import { isUniqueViolation } from '../../db/database.ts';
import type { Deps } from '../../deps.ts';
import { Conflict, NotFound } from '../../platform/errors.ts';
import { recordCaseChanges } from '../case-events.ts';
import { requireCaseWriter } from '../policy.ts';
import { noticeReportersOfLink } from '../reporter-thread/notices.ts';
import { syncReporterStatus } from '../reporter-thread/reporter-status.ts';
import * as store from '../store.ts';

export async function attachReport(
  deps: Deps,
  principal: Principal,
  caseId: string,
  reportId: string,
): Promise<void> {
  requireCaseWriter(principal);
  const now = deps.clock();
  const mails = await deps.db
    .transaction()
    .execute(async (trx) => {
      const locked = await store.lockCase(trx, caseId);
      if (!locked) throw new NotFound('No such case');
      const report = await store.findReportLink(trx, reportId);
      if (!report) throw new NotFound('No such report');
      if (report.case_id === caseId) throw new Conflict(`This report is already part of ${locked.number}.`);
      if (report.case_id) throw new Conflict(`This report is already part of case ${report.case_number}.`);
      await store.insertCaseReport(trx, {
        reportId,
        caseId,
        relation: 'duplicate',
        at: now,
        by: principal.userId,
      });
      await recordCaseChanges(trx, principal, caseId, now, [
        {
          kind: 'REPORT_ATTACHED',
          to: { reportId, trackingId: report.tracking_id, relation: 'duplicate' },
        },
      ]);
      const mails = await noticeReportersOfLink(trx, deps, {
        caseId,
        linkedReportIds: [reportId],
        actor: `user:${principal.userId}`,
      });
      // The newcomer takes the case's status; its link mail already told the reporter.
      await syncReporterStatus(trx, deps, {
        caseId,
        state: locked.state,
        actor: `user:${principal.userId}`,
        mail: false,
      });
      return mails;
    })
    .catch((error: unknown) => {
      throw isUniqueViolation(error) ? new Conflict('This report was just attached to a case.') : error;
    });
  if (mails > 0) deps.wakeWorkers();
}
