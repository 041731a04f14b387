// What a reporter is told of their case's progress: each case state maps to a status the status
// page shows in plain words. When the case moves, every report in it takes the new status, its
// timeline gets an entry, and its reporter a mail with a fresh link, in the transaction of the move.
import type { Transaction } from 'kysely';
import type { CaseStateColumn, DB } from '../../db/schema.ts';
import { insertReportEvent } from '../../intake/store.ts';
import { statusChangedMail } from './mails.ts';
import { mailReporter, type NoticeDeps } from './notices.ts';

/** The status a reporter sees (reports.status); `received` until a case holds the report. */
export type ReporterStatus =
  | 'received'
  | 'triage'
  | 'confirmed'
  | 'fix-available'
  | 'disclosed'
  | 'closed'
  | 'not-a-vulnerability'
  | 'out-of-scope';

const statusOfState: Record<CaseStateColumn, ReporterStatus> = {
  new: 'received',
  triage: 'triage',
  confirmed: 'confirmed',
  fixing: 'confirmed',
  'fix-available': 'fix-available',
  disclosed: 'disclosed',
  closed: 'closed',
  'not-a-vulnerability': 'not-a-vulnerability',
  'out-of-scope': 'out-of-scope',
  // A case marked duplicate has its reports merged into the case it repeats; until then its
  // reporters are told it is being assessed.
  duplicate: 'triage',
};

export const reporterStatusOf = (state: CaseStateColumn): ReporterStatus => statusOfState[state];

/** Statuses worth a mail; a case closed after publication tells the reporter nothing new. */
const mailed = new Set<ReporterStatus>([
  'triage',
  'confirmed',
  'fix-available',
  'disclosed',
  'not-a-vulnerability',
  'out-of-scope',
]);

/**
 * Gives every report of the case the status of `state` where it differs, with a public
 * `status_changed` event and (unless `mail` is false, for a caller that mails already) a mail to
 * its reporter. Returns the number of mails queued (wake the
 * workers after the commit when it is above 0).
 */
export async function syncReporterStatus(
  trx: Transaction<DB>,
  deps: NoticeDeps,
  change: { caseId: string; state: CaseStateColumn; actor: string; mail?: boolean },
): Promise<number> {
  const status = reporterStatusOf(change.state);
  const reports = await trx
    .selectFrom('case_reports')
    .innerJoin('reports', 'reports.id', 'case_reports.report_id')
    .select(['reports.id', 'reports.tracking_id', 'reports.reporter_email', 'reports.status'])
    .where('case_reports.case_id', '=', change.caseId)
    .where('reports.status', '!=', status)
    .execute();
  let mails = 0;
  for (const report of reports) {
    await trx.updateTable('reports').set({ status }).where('id', '=', report.id).execute();
    await insertReportEvent(trx, {
      reportId: report.id,
      kind: 'status_changed',
      public: true,
      actor: change.actor,
      detail: { from: report.status, to: status },
    });
    if (change.mail === false || !mailed.has(status)) continue;
    const sent = await mailReporter(trx, deps, report, 'case-status', (statusUrl) =>
      statusChangedMail({ orgName: deps.config.orgName, trackingId: report.tracking_id, status, statusUrl }),
    );
    if (sent) mails += 1;
  }
  return mails;
}
