// Staff view of incoming reports: the queue of reports no case holds yet, and one report in full,
// its encrypted description decrypted with the server key (reporters encrypt to it).
import { type Principal, requireRole } from '../auth/access.ts';
import type { Deps } from '../deps.ts';
import { Invalid, NotFound } from '../platform/errors.ts';
import type { Page } from '../platform/paging.ts';
import { findReportForStaff, listUnassignedReports } from './report-store.ts';

const staff = ['admin', 'analyst', 'auditor'] as const;

export async function listIncomingReports(deps: Deps, principal: Principal, page: Page) {
  requireRole(principal, ...staff);
  return listUnassignedReports(deps.db, page);
}

export type StaffReport = NonNullable<Awaited<ReturnType<typeof findReportForStaff>>> & {
  /** The description as the reporter wrote it: decrypted when it came encrypted. */
  plainDescription: string | null;
  decryptionError: string | null;
};

export async function getIncomingReport(deps: Deps, principal: Principal, id: string): Promise<StaffReport> {
  requireRole(principal, ...staff);
  const report = await findReportForStaff(deps.db, id);
  if (!report) throw new NotFound('No such report');
  if (!report.encrypted) return { ...report, plainDescription: report.description, decryptionError: null };
  try {
    const plain = await deps.pgp.decrypt(report.description, 'description');
    return { ...report, plainDescription: plain, decryptionError: null };
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    return { ...report, plainDescription: null, decryptionError: error.fields.description ?? error.message };
  }
}
