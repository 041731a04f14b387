// The researcher's path through intake: submit a report, follow it, reply.

import { recordCreditChangeInCase } from '../cases/reporter-thread/credit-events.ts';
import type { Deps } from '../deps.ts';
import { queueMail } from '../mail/jobs.ts';
import type { ReceivedFile } from '../platform/blob-store.ts';
import { sha256Hex } from '../platform/clock.ts';
import { Invalid, NotFound } from '../platform/errors.ts';
import type { CreditChoice } from './credit-choice.ts';
import { acknowledgementMail } from './mails.ts';
import { loadPolicy, type Policy } from './policy-settings.ts';
import type { RawReport, ReportInput } from './report-input.ts';
import { parseReportInput, unknownProductReason } from './report-input.ts';
import * as store from './store.ts';

export type IncomingFile = ReceivedFile & { fileName: string; declaredType: string };

export type SubmittedReport = { trackingId: string; statusToken: string; statusUrl: string };

export const statusUrlFor = (deps: Pick<Deps, 'config'>, token: string) =>
  `${deps.config.publicUrl}/status/${token}`;

/** Parses a report at the edge; whether productId names a product is decided by the insert. */
export function parseReport(deps: Deps, raw: RawReport): ReportInput {
  return parseReportInput(raw, { today: deps.clock().toISOString().slice(0, 10) });
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
  const year = now.getUTCFullYear();
  const email = input.reporterEmail;
  const policy = email ? await loadPolicy(deps.db) : undefined;
  // Refused input leaves no file behind: with attachments, check the product before storing them.
  if (files.length > 0 && input.productId && !(await store.productExists(deps.db, input.productId)))
    throw new Invalid({ productId: unknownProductReason });
  for (const file of files) await deps.blobs.commit(file);
  await store.ensureTrackingSequence(deps.db, year);

  const report = {
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
    reporter_email: email,
    credit: input.credit,
    credit_name: input.creditName,
    // Choosing to be named when sending the report is consent given then.
    credit_consent_at: input.credit === 'named' ? now : null,
    preferred_disclosure_date: input.preferredDisclosureDate,
    status_token_hash: sha256Hex(token),
    created_at: now,
  };
  const acknowledgement = email && policy ? { to: email, token, policy } : undefined;
  let trackingId: string;
  try {
    trackingId = await writeReport(deps, { year, report, files, acknowledgement });
  } catch (error) {
    if (error instanceof store.UnknownProduct) throw new Invalid({ productId: unknownProductReason });
    throw error;
  }
  if (acknowledgement) deps.wakeWorkers();
  return { trackingId, statusToken: token, statusUrl: statusUrlFor(deps, token) };
}

/** Writes a report and all that comes with it in one transaction; returns its tracking id. */
async function writeReport(
  deps: Deps,
  write: {
    year: number;
    report: Parameters<typeof store.insertReceivedReport>[2];
    files: IncomingFile[];
    acknowledgement: { to: string; token: string; policy: Policy } | undefined;
  },
): Promise<string> {
  const { year, report, files, acknowledgement } = write;
  const received = { attachments: files.length };
  if (files.length === 0 && !acknowledgement) {
    // Nothing else to write: the single statement is the whole transaction, committed on return.
    return (await store.insertReceivedReport(deps.db, year, report, received)).trackingId;
  }
  return deps.db.transaction().execute(async (trx) => {
    const stored = await store.insertReceivedReport(trx, year, report, received);
    await store.insertAttachments(trx, { reportId: stored.id, messageId: null }, files);
    if (acknowledgement) {
      await queueMail(trx, {
        to: acknowledgement.to,
        ...acknowledgementMail({
          orgName: deps.config.orgName,
          trackingId: stored.trackingId,
          statusUrl: statusUrlFor(deps, acknowledgement.token),
          acknowledgeDays: acknowledgement.policy.acknowledgeWithinBusinessDays,
        }),
        messageId: `<ack.${stored.trackingId}.${stored.id}@openpsirt>`,
      });
      await store.insertReportEvent(trx, {
        reportId: stored.id,
        kind: 'acknowledgement_queued',
        public: true,
        actor: 'system',
      });
    }
    return stored.trackingId;
  });
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
    const messageId = await store.insertMessage(trx, {
      reportId: report.id,
      author: 'reporter',
      body,
      at: deps.clock(),
    });
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

/**
 * Applies the reporter's credit choice: the report's credit, name and consent time, a public
 * timeline entry and, when a case holds the report, a CREDIT_CHANGED case event, in one
 * transaction. Choosing what is already recorded changes nothing. Returns whether it changed.
 */
export async function changeCredit(deps: Deps, token: string, choice: CreditChoice): Promise<boolean> {
  const report = await findReportByToken(deps, token);
  const now = deps.clock();
  const from = { credit: report.credit, creditName: report.credit_name, consentAt: report.credit_consent_at };
  const named = choice.credit === 'named';
  if (named ? from.credit === 'named' && from.creditName === choice.creditName : from.credit === 'anonymous')
    return false;
  const to = named
    ? { credit: 'named' as const, creditName: choice.creditName, consentAt: now }
    : { credit: 'anonymous' as const, creditName: null, consentAt: null };
  await deps.db.transaction().execute(async (trx) => {
    await store.updateCredit(trx, report.id, to);
    await store.insertReportEvent(trx, {
      reportId: report.id,
      kind: 'credit_changed',
      public: true,
      actor: 'reporter',
      detail: { credit: to.credit },
    });
    await recordCreditChangeInCase(trx, {
      reportId: report.id,
      trackingId: report.tracking_id,
      from,
      to,
      at: now,
    });
  });
  return true;
}

async function findReportByToken(deps: Deps, token: string) {
  const report = /^[A-Za-z0-9_-]{43}$/.test(token)
    ? await store.findReportByTokenHash(deps.db, sha256Hex(token))
    : undefined;
  if (!report)
    throw new NotFound('No report matches this status link. Check that the whole link was copied.');
  return report;
}
