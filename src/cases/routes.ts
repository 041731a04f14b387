// The cases feature's HTTP API: cases and their workflow, and the staff view of incoming reports.
import type { FastifyPluginAsync } from 'fastify';
import type { Deps } from '../deps.ts';
import { caseRoutes } from './routes/case-routes.ts';
import { reportRoutes } from './routes/report-routes.ts';

export const casesRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  await app.register(caseRoutes, { deps });
  await app.register(reportRoutes, { deps });
};
