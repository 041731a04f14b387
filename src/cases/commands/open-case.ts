// Opens a case from an incoming report: the case gets the next number of the year, the report is
// linked to it as its origin, the CASE_OPENED event records who did it, and `case.created` goes out
// to webhooks.
import type { Principal } from '../../auth/access.ts';
import { isUniqueViolation } from '../../db/database.ts';
import type { Deps } from '../../deps.ts';
import { insertReportEvent } from '../../intake/store.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { recordCaseChanges } from '../case-events.ts';
import { emitCaseCreated } from '../case-webhooks.ts';
import { requireCaseWriter } from '../policy.ts';
import * as store from '../store.ts';

export type OpenCaseInput = { reportId: string; title?: string | undefined };

const alreadyLinked = (number: string | null) =>
  new Conflict(`This report is already part of case ${number}; open that case instead.`);

/** Returns the new case's id. */
export async function openCase(deps: Deps, principal: Principal, input: OpenCaseInput): Promise<string> {
  requireCaseWriter(principal);
  const title = input.title?.trim();
  if (input.title !== undefined && !title) throw new Invalid({ title: 'must not be empty' });
  const report = await store.findReportLink(deps.db, input.reportId);
  if (!report) throw new NotFound('No such report');
  if (report.case_id) throw alreadyLinked(report.case_number);
  const now = deps.clock();
  const year = now.getUTCFullYear();
  await store.ensureCaseNumberSequence(deps.db, year);
  const caseId = await deps.db
    .transaction()
    .execute(async (trx) => {
      const opened = await store.insertCase(trx, year, {
        title: title ?? report.title,
        summary: '',
        createdAt: now,
      });
      await store.insertCaseReport(trx, {
        reportId: report.id,
        caseId: opened.id,
        relation: 'origin',
        at: now,
        by: principal.userId,
      });
      await recordCaseChanges(trx, principal, opened.id, now, [
        {
          kind: 'CASE_OPENED',
          to: { number: opened.number, title: title ?? report.title, state: 'new', reportId: report.id },
        },
      ]);
      // Internal for now: the status page says more once the reporter thread exists.
      await insertReportEvent(trx, {
        reportId: report.id,
        kind: 'case_opened',
        public: false,
        actor: `user:${principal.userId}`,
        detail: { caseId: opened.id },
      });
      const row = { ...opened, title: title ?? report.title, state: 'new' as const, cvss_severity: null };
      await emitCaseCreated(trx, deps.config.publicUrl, row, now);
      return opened.id;
    })
    .catch((error: unknown) => {
      throw isUniqueViolation(error) ? alreadyLinked('(another)') : error;
    });
  deps.wakeWorkers();
  return caseId;
}
