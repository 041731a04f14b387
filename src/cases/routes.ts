// The cases feature's HTTP API: cases and their workflow, the staff view of incoming reports, and
// the response policy.
import type { FastifyPluginAsync } from 'fastify';
import type { Deps } from '../deps.ts';
import { caseRoutes } from './routes/case-routes.ts';
import { overdueRoutes } from './routes/overdue-routes.ts';
import { policyRoutes } from './routes/policy-routes.ts';
import { reportRoutes } from './routes/report-routes.ts';

export const casesRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  await app.register(caseRoutes, { deps });
  await app.register(reportRoutes, { deps });
  await app.register(policyRoutes, { deps });
  await app.register(overdueRoutes, { deps });
};
