// Response-time metrics over HTTP (staff): time to acknowledge, triage and fix per month and per
// product, computed from the case events (see docs/metrics.md).
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import { staffReaders } from '../policy.ts';
import { responseTimeReport } from './metrics-report.ts';
import { monthPattern } from './months.ts';

const Month = (description: string) =>
  Type.String({ pattern: monthPattern, description, examples: ['2026-01'] });

const MetricsQuery = Type.Object(
  {
    from: Type.Optional(
      Month('First month of receipt, YYYY-MM in the policy time zone (default: 11 months before to)'),
    ),
    to: Type.Optional(Month('Last month of receipt, included (default: the current month)')),
    product: Type.Optional(Type.String({ format: 'uuid', description: 'Only cases affecting this product' })),
  },
  { additionalProperties: false },
);

const Hours = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });

const Stats = Type.Object({
  count: Type.Integer({ description: 'Cases that reached the step in the group' }),
  open: Type.Integer({ description: 'Cases that have not reached it yet' }),
  medianHours: Hours('Median, hours from receipt, 1 decimal; null when none was measured'),
  p90Hours: Hours('90th percentile (continuous, as percentile_cont), hours, 1 decimal'),
});

const Measures = {
  acknowledge: Stats,
  triage: Stats,
  fix: Stats,
};

const ResponseTimesView = Type.Object({
  from: Type.String(),
  to: Type.String(),
  timeZone: Type.String({ description: 'The response policy time zone the months are counted in' }),
  productId: Type.Union([Type.String(), Type.Null()]),
  overall: Type.Object(Measures),
  months: Type.Array(Type.Object({ month: Type.String(), ...Measures })),
  products: Type.Array(Type.Object({ productId: Type.String(), productName: Type.String(), ...Measures }), {
    description: 'Each product affected by a case of the range; a case affecting two products counts in both',
  }),
});

export const metricsRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/metrics/response-times',
    {
      config: { access: staffReaders },
      schema: {
        tags: ['cases'],
        summary:
          'Time to acknowledge, triage and fix: count, median and 90th percentile per month and product',
        description:
          'Cases are grouped by the month their first report arrived. Durations are hours from that arrival.',
        querystring: MetricsQuery,
        response: { 200: ResponseTimesView, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) =>
      responseTimeReport(
        deps.db,
        { from: request.query.from, to: request.query.to, productId: request.query.product },
        deps.clock(),
      ),
  );
};
