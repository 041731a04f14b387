// Every query of the reporter thread: a case's reports and their reporters, one report's messages
// and files. The tables belong to intake; the thread reads them through the case that holds them.
import type { Db } from '../../db/database.ts';

/** The report, when it is one of the case's reports; undefined otherwise (or when neither exists). */
export async function findReportInCase(db: Db, caseId: string, reportId: string) {
  return db
    .selectFrom('case_reports')
    .innerJoin('reports', 'reports.id', 'case_reports.report_id')
    .innerJoin('cases', 'cases.id', 'case_reports.case_id')
    .select([
      'reports.id',
      'reports.tracking_id',
      'reports.reporter_name',
      'reports.reporter_email',
      'cases.number as case_number',
    ])
    .where('case_reports.case_id', '=', caseId)
    .where('case_reports.report_id', '=', reportId)
    .executeTakeFirst();
}

export async function listThreadMessages(db: Db, reportId: string) {
  return db
    .selectFrom('report_messages')
    .select(['id', 'author', 'author_label', 'body', 'created_at'])
    .where('report_id', '=', reportId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Every file of the report: those sent with it (message_id null) and those of its messages. */
export async function listReportFiles(db: Db, reportId: string) {
  return db
    .selectFrom('attachments')
    .select(['id', 'message_id', 'file_name', 'size', 'sha256', 'declared_type'])
    .where('report_id', '=', reportId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findReportFile(db: Db, reportId: string, fileId: string) {
  return db
    .selectFrom('attachments')
    .select(['id', 'file_name', 'size', 'sha256'])
    .where('report_id', '=', reportId)
    .where('id', '=', fileId)
    .executeTakeFirst();
}

/** The case's reports with what a notice to their reporters needs, first received first. */
export async function listCaseReporters(db: Db, caseId: string) {
  return db
    .selectFrom('case_reports')
    .innerJoin('reports', 'reports.id', 'case_reports.report_id')
    .select(['reports.id', 'reports.tracking_id', 'reports.reporter_email', 'reports.created_at'])
    .where('case_reports.case_id', '=', caseId)
    .orderBy('reports.created_at')
    .orderBy('reports.id')
    .execute();
}

export async function findCaseNumber(db: Db, caseId: string): Promise<string | undefined> {
  const row = await db.selectFrom('cases').select('number').where('id', '=', caseId).executeTakeFirst();
  return row?.number;
}

export async function findCaseOfReport(db: Db, reportId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('case_reports')
    .select('case_id')
    .where('report_id', '=', reportId)
    .executeTakeFirst();
  return row?.case_id;
}
