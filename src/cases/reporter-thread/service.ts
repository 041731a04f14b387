// The reporter thread of a case, for staff: one conversation per report of the case, read and
// written here, shown to that report's reporter alone on their status page.
import type { Principal } from '../../auth/access.ts';
import { requireRole } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import type { IncomingFile } from '../../intake/service.ts';
import { insertAttachments, insertMessage, insertReportEvent } from '../../intake/store.ts';
import { Invalid, NotFound } from '../../platform/errors.ts';
import { recordCaseChanges } from '../case-events.ts';
import { requireCaseWriter } from '../policy.ts';
import { staffMessageMail } from './mails.ts';
import { mailReporter } from './notices.ts';
import * as store from './store.ts';

export const MAX_MESSAGE = 50_000;

const staffReaders = ['admin', 'analyst', 'auditor'] as const;

export type ReporterThread = {
  report: NonNullable<Awaited<ReturnType<typeof store.findReportInCase>>>;
  messages: Awaited<ReturnType<typeof store.listThreadMessages>>;
  files: Awaited<ReturnType<typeof store.listReportFiles>>;
};

async function getReportInCase(deps: Deps, caseId: string, reportId: string) {
  const report = await store.findReportInCase(deps.db, caseId, reportId);
  if (!report) throw new NotFound('No such report in this case');
  return report;
}

export async function getReporterThread(
  deps: Deps,
  principal: Principal,
  caseId: string,
  reportId: string,
): Promise<ReporterThread> {
  requireRole(principal, ...staffReaders);
  const report = await getReportInCase(deps, caseId, reportId);
  const messages = await store.listThreadMessages(deps.db, reportId);
  const files = await store.listReportFiles(deps.db, reportId);
  return { report, messages, files };
}

/** Checks who may write and that the report is in the case, before any upload is read. */
export async function checkReporterMessage(
  deps: Deps,
  principal: Principal,
  caseId: string,
  reportId: string,
) {
  requireCaseWriter(principal);
  await getReportInCase(deps, caseId, reportId);
}

/**
 * Posts a staff message to the reporter of one report of the case: the message and its files, the
 * public timeline entry, the case event (ids only, never the body) and, when the reporter left an
 * email address, a mail with a fresh status link, in one transaction. Returns the message's id.
 * Files must already be received into the blob store.
 */
export async function sendReporterMessage(
  deps: Deps,
  principal: Principal,
  message: { caseId: string; reportId: string; body: string; files: IncomingFile[] },
): Promise<string> {
  requireCaseWriter(principal);
  const body = message.body.trim();
  if (body === '' && message.files.length === 0)
    throw new Invalid({ body: 'is empty: write a message or attach a file' });
  if (body.length > MAX_MESSAGE) throw new Invalid({ body: `must be at most ${MAX_MESSAGE} characters` });
  const report = await getReportInCase(deps, message.caseId, message.reportId);
  for (const file of message.files) await deps.blobs.commit(file);
  const now = deps.clock();
  const { messageId, mailed } = await deps.db.transaction().execute(async (trx) => {
    const messageId = await insertMessage(trx, {
      reportId: report.id,
      author: 'staff',
      body,
      at: now,
      staff: { userId: principal.userId, label: principal.name },
    });
    await insertAttachments(trx, { reportId: report.id, messageId }, message.files);
    await insertReportEvent(trx, {
      reportId: report.id,
      kind: 'staff_message',
      public: true,
      actor: `user:${principal.userId}`,
      detail: { messageId, attachments: message.files.length },
    });
    await recordCaseChanges(trx, principal, message.caseId, now, [
      { kind: 'REPORTER_MESSAGE_SENT', to: { reportId: report.id, messageId } },
    ]);
    const mailed = await mailReporter(trx, deps, report, 'staff-message', (statusUrl) =>
      staffMessageMail({ orgName: deps.config.orgName, trackingId: report.tracking_id, statusUrl }),
    );
    return { messageId, mailed };
  });
  if (mailed) deps.wakeWorkers();
  return messageId;
}

/** One file of the report (sent with it or with any of its messages), for download by staff. */
export async function getReporterFile(
  deps: Deps,
  principal: Principal,
  ids: { caseId: string; reportId: string; fileId: string },
) {
  requireRole(principal, ...staffReaders);
  await getReportInCase(deps, ids.caseId, ids.reportId);
  const file = await store.findReportFile(deps.db, ids.reportId, ids.fileId);
  if (!file) throw new NotFound('No such file in this report');
  return file;
}
