// The cases feature's HTTP API: cases and their workflow, the staff view of incoming reports, and
// the response policy.
import type { FastifyPluginAsync } from 'fastify';
import type { Deps } from '../deps.ts';
import { duplicateRoutes } from './duplicates/routes.ts';
import { metricsRoutes } from './metrics/routes.ts';
import { reporterThreadRoutes } from './reporter-thread/routes.ts';
import { caseRoutes } from './routes/case-routes.ts';
import { overdueRoutes } from './routes/overdue-routes.ts';
import { policyRoutes } from './routes/policy-routes.ts';
import { reportRoutes } from './routes/report-routes.ts';
import { threadRoutes } from './threads/routes.ts';

export const casesRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  await app.register(caseRoutes, { deps });
  await app.register(reportRoutes, { deps });
  await app.register(duplicateRoutes, { deps });
  await app.register(policyRoutes, { deps });
  await app.register(overdueRoutes, { deps });
  await app.register(threadRoutes, { deps });
  await app.register(reporterThreadRoutes, { deps });
  await app.register(metricsRoutes, { deps });
};
