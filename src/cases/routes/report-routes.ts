// Incoming reports for staff: the queue of reports no case holds yet, and one report in full.
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Principal } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import { PageOf, PageQuery, page } from '../../platform/paging.ts';
import { getIncomingReport, listIncomingReports } from '../incoming-reports.ts';
import { reportReaders } from '../policy.ts';
import {
  IncomingReportView,
  presentIncomingReport,
  presentStaffReport,
  StaffReportView,
} from '../presenters.ts';

const tags = ['cases'];

export const reportRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/reports',
    {
      config: { access: reportReaders },
      schema: {
        tags,
        summary: 'Incoming reports not yet in a case, newest first',
        querystring: PageQuery,
        response: { 200: PageOf(IncomingReportView), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const paging = page(request.query);
      const { rows, total } = await listIncomingReports(deps, request.principal as Principal, paging);
      return { items: rows.map(presentIncomingReport), total, ...paging };
    },
  );

  app.get(
    '/api/v1/reports/:reportId',
    {
      config: { access: reportReaders },
      schema: {
        tags,
        summary: 'One report as received, its encrypted description decrypted with the server key',
        params: Type.Object({ reportId: Type.String({ format: 'uuid' }) }),
        response: { 200: StaffReportView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      presentStaffReport(
        await getIncomingReport(deps, request.principal as Principal, request.params.reportId),
      ),
  );
};
