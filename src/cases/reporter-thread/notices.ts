// Notices to reporters: a mail with a fresh private status link, queued in the transaction of the
// change it tells about. A reporter who left no email address gets no mail; the status page's
// timeline shows the change all the same.
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { issueStatusLink } from '../../intake/status-links.ts';
import { insertReportEvent } from '../../intake/store.ts';
import { queueMail } from '../../mail/jobs.ts';
import { duplicateArrivedMail, linkedToCaseMail } from './mails.ts';
import { findCaseNumber, listCaseReporters } from './store.ts';

export type NoticeDeps = Pick<Deps, 'config' | 'random' | 'clock'>;

type Reporter = { id: string; tracking_id: string; reporter_email: string | null };

/**
 * Queues one mail to the reporter of `report`, carrying a new status link of that report made for
 * this mail alone. Returns false (and stores no link) when the reporter left no email address.
 */
export async function mailReporter(
  trx: Transaction<DB>,
  deps: NoticeDeps,
  report: Reporter,
  purpose: string,
  compose: (statusUrl: string) => { subject: string; text: string },
): Promise<boolean> {
  if (!report.reporter_email) return false;
  const link = await issueStatusLink(trx, deps, { reportId: report.id, purpose });
  await queueMail(trx, {
    to: report.reporter_email,
    ...compose(link.url),
    messageId: `<${purpose}.${report.tracking_id}.${link.id}@openpsirt>`,
  });
  return true;
}

/**
 * Tells the reporters of a case that reports were linked to it: used when a report is attached as a
 * duplicate, and when cases are merged.
 *
 * Call it inside the transaction that links the reports, after their `case_reports` rows point at
 * `caseId`. For each report in `linkedReportIds` it writes the public report event `linked_to_case`
 * and mails its reporter that the report joined case <number>, first reported on <date of the
 * case's earliest other report>, and is kept. Every other report of the case gets one public
 * `duplicate_linked` event and its reporter one mail saying that another report of the same issue
 * arrived. Each mail carries a fresh status link of the recipient's own report and nothing another
 * reporter wrote; reporters without an email address get the events only. It records no case event
 * (the caller records its own, e.g. REPORT_ATTACHED) and does not wake the workers: when it returns
 * more than 0 (mails queued), call `deps.wakeWorkers()` after the commit.
 *
 * @example const mails = await noticeReportersOfLink(trx, deps, { caseId, linkedReportIds: [reportId], actor: `user:${principal.userId}` });
 */
export async function noticeReportersOfLink(
  trx: Transaction<DB>,
  deps: NoticeDeps,
  link: { caseId: string; linkedReportIds: readonly string[]; actor?: string },
): Promise<number> {
  const linked = new Set(link.linkedReportIds);
  if (linked.size === 0) return 0;
  const caseNumber = await findCaseNumber(trx, link.caseId);
  const reports = await listCaseReporters(trx, link.caseId);
  const newcomers = reports.filter((r) => linked.has(r.id));
  if (!caseNumber || newcomers.length !== linked.size)
    throw new Error(`noticeReportersOfLink: not every report is linked to case ${link.caseId} yet`);
  const earlier = reports.find((r) => !linked.has(r.id)) ?? reports[0];
  const firstReportedOn = earlier?.created_at ?? deps.clock();
  const actor = link.actor ?? 'system';
  const orgName = deps.config.orgName;
  let mails = 0;
  for (const report of newcomers) {
    await insertReportEvent(trx, { reportId: report.id, kind: 'linked_to_case', public: true, actor });
    const sent = await mailReporter(trx, deps, report, 'case-link', (statusUrl) =>
      linkedToCaseMail({ orgName, trackingId: report.tracking_id, caseNumber, firstReportedOn, statusUrl }),
    );
    if (sent) mails += 1;
  }
  const trackingIds = newcomers.map((r) => r.tracking_id);
  for (const report of reports.filter((r) => !linked.has(r.id))) {
    await insertReportEvent(trx, {
      reportId: report.id,
      kind: 'duplicate_linked',
      public: true,
      actor,
      detail: { trackingIds },
    });
    const sent = await mailReporter(trx, deps, report, 'case-duplicate', (statusUrl) =>
      duplicateArrivedMail({
        orgName,
        trackingId: report.tracking_id,
        arrived: newcomers.length,
        statusUrl,
      }),
    );
    if (sent) mails += 1;
  }
  return mails;
}
