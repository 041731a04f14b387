// The researcher's path through intake: submit a report, follow it, reply.
import type { Deps } from '../deps.ts';
import { queueMail } from '../mail/jobs.ts';
import type { ReceivedFile } from '../platform/blob-store.ts';
import { sha256Hex } from '../platform/clock.ts';
import { NotFound } from '../platform/errors.ts';
import { acknowledgementMail } from './mails.ts';
import { loadPolicy } from './policy-settings.ts';
import type { RawReport, ReportInput } from './report-input.ts';
import { parseReportInput } from './report-input.ts';
import * as store from './store.ts';

export type IncomingFile = ReceivedFile & { fileName: string; declaredType: string };

export type SubmittedReport = { trackingId: string; statusToken: string; statusUrl: string };

export const statusUrlFor = (deps: Deps, token: string) => `${deps.config.publicUrl}/status/${token}`;

export async function parseReport(deps: Deps, raw: RawReport): Promise<ReportInput> {
  const products = await store.listProducts(deps.db);
  return parseReportInput(raw, {
    today: deps.clock().toISOString().slice(0, 10),
    productIds: new Set(products.map((p) => p.id)),
  });
}

/**
 * Stores a report with its attachments and queues the acknowledgement mail, all in one commit;
 * only then does the caller answer. Files must already be received into the blob store.
 */
export async function submitReport(
  deps: Deps,
  input: ReportInput,
  files: IncomingFile[],
  source: 'form' | 'api',
): Promise<SubmittedReport> {
  if (input.encrypted) await deps.pgp.decrypt(input.description, 'description');
  const token = deps.random(32).toString('base64url');
  const now = deps.clock();
  const policy = await loadPolicy(deps.db);
  for (const file of files) await deps.blobs.commit(file);

  const trackingId = await deps.db.transaction().execute(async (trx) => {
    const year = now.getUTCFullYear();
    const number = await store.nextTrackingNumber(trx, year);
    const trackingId = `VR-${year}-${String(number).padStart(4, '0')}`;
    const reportId = await store.insertReport(trx, {
      tracking_id: trackingId,
      source,
      title: input.title,
      product_id: input.productId,
      product_text: input.productName,
      version: input.version,
      description: input.description,
      encrypted: input.encrypted,
      steps: input.stepsToReproduce,
      impact: input.impact,
      cvss_vector: input.cvssVector,
      reporter_name: input.reporterName,
      reporter_email: input.reporterEmail,
      credit: input.credit,
      credit_name: input.creditName,
      preferred_disclosure_date: input.preferredDisclosureDate,
      status_token_hash: sha256Hex(token),
      created_at: now,
    });
    await store.insertAttachments(trx, { reportId, messageId: null }, files);
    await store.insertReportEvent(trx, {
      reportId,
      kind: 'received',
      public: true,
      actor: 'reporter',
      detail: { attachments: files.length },
    });
    if (input.reporterEmail) {
      await queueMail(trx, {
        to: input.reporterEmail,
        ...acknowledgementMail({
          orgName: deps.config.orgName,
          trackingId,
          statusUrl: statusUrlFor(deps, token),
          acknowledgeDays: policy.acknowledgeWithinBusinessDays,
        }),
        messageId: `<ack.${trackingId}.${reportId}@openpsirt>`,
      });
      await store.insertReportEvent(trx, {
        reportId,
        kind: 'acknowledgement_queued',
        public: true,
        actor: 'system',
      });
    }
    return trackingId;
  });
  deps.wakeWorkers();
  return { trackingId, statusToken: token, statusUrl: statusUrlFor(deps, token) };
}

export async function getReportStatus(deps: Deps, token: string) {
  const report = await findReportByToken(deps, token);
  const [events, thread] = await Promise.all([
    store.listPublicEvents(deps.db, report.id),
    store.listMessages(deps.db, report.id),
  ]);
  return { report, events, ...thread };
}

export async function addReporterReply(deps: Deps, token: string, body: string, files: IncomingFile[]) {
  const report = await findReportByToken(deps, token);
  for (const file of files) await deps.blobs.commit(file);
  await deps.db.transaction().execute(async (trx) => {
    const messageId = await store.insertMessage(trx, { reportId: report.id, author: 'reporter', body });
    await store.insertAttachments(trx, { reportId: report.id, messageId }, files);
    await store.insertReportEvent(trx, {
      reportId: report.id,
      kind: 'reporter_replied',
      public: true,
      actor: 'reporter',
      detail: { attachments: files.length },
    });
  });
  return { trackingId: report.tracking_id };
}

async function findReportByToken(deps: Deps, token: string) {
  const report = /^[A-Za-z0-9_-]{43}$/.test(token)
    ? await store.findReportByTokenHash(deps.db, sha256Hex(token))
    : undefined;
  if (!report)
    throw new NotFound('No report matches this status link. Check that the whole link was copied.');
  return report;
}
