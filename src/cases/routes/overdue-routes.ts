// The overdue view over HTTP: every case with a clock past its deadline, most overdue first.
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Principal } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import { ClockView, presentClock } from '../clock-presenters.ts';
import { loadResponsePolicy } from '../clocks/response-policy.ts';
import { overdueCases } from '../overdue.ts';
import { staffReaders } from '../policy.ts';
import { CaseSummaryView, presentCaseSummary } from '../presenters.ts';

const OverdueView = Type.Object({
  items: Type.Array(
    Type.Object({
      case: CaseSummaryView,
      overdue: Type.Array(ClockView, { description: 'Its overdue clocks, earliest deadline first' }),
    }),
  ),
  total: Type.Integer(),
});

export const overdueRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/cases/overdue',
    {
      config: { access: staffReaders },
      schema: {
        tags: ['cases'],
        summary: 'Cases with at least one overdue clock, the earliest missed deadline first',
        response: { 200: OverdueView, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const principal = request.principal as Principal;
      const policy = await loadResponsePolicy(deps.db);
      const now = deps.clock();
      const cases = await overdueCases(deps.db, policy, now);
      return {
        items: cases.map((c) => ({
          case: presentCaseSummary(c.row, principal, now),
          overdue: c.overdue.map(presentClock),
        })),
        total: cases.length,
      };
    },
  );
};
