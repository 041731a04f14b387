// Staff reads of incoming reports: the ones not yet in a case, and one report in full. The reports
// table belongs to intake; these queries add what the cases feature knows (the case a report is in).
import type { Db } from '../db/database.ts';
import type { Page } from '../platform/paging.ts';

export async function listUnassignedReports(db: Db, page: Page) {
  const query = db
    .selectFrom('reports')
    .leftJoin('case_reports', 'case_reports.report_id', 'reports.id')
    .leftJoin('products', 'products.id', 'reports.product_id')
    .where('case_reports.report_id', 'is', null);
  const [rows, count] = await Promise.all([
    query
      .select([
        'reports.id',
        'reports.tracking_id',
        'reports.title',
        'reports.source',
        'reports.encrypted',
        'reports.product_id',
        'products.name as product_name',
        'reports.product_text',
        'reports.created_at',
      ])
      .orderBy('reports.created_at', 'desc')
      .orderBy('reports.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function findReportForStaff(db: Db, id: string) {
  return db
    .selectFrom('reports')
    .leftJoin('case_reports', 'case_reports.report_id', 'reports.id')
    .leftJoin('cases', 'cases.id', 'case_reports.case_id')
    .leftJoin('products', 'products.id', 'reports.product_id')
    .select([
      'reports.id',
      'reports.tracking_id',
      'reports.status',
      'reports.source',
      'reports.title',
      'reports.product_id',
      'products.name as product_name',
      'reports.product_text',
      'reports.version',
      'reports.description',
      'reports.encrypted',
      'reports.steps',
      'reports.impact',
      'reports.cvss_vector',
      'reports.reporter_name',
      'reports.reporter_email',
      'reports.credit',
      'reports.credit_name',
      'reports.credit_consent_at',
      'reports.preferred_disclosure_date',
      'reports.created_at',
      'case_reports.case_id',
      'cases.number as case_number',
    ])
    .where('reports.id', '=', id)
    .executeTakeFirst();
}
