// The queue over HTTP, for the console's jobs page: every background job is visible with its state.
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Access, Principal } from '../auth/access.ts';
import type { JobState as JobStateColumn } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { errorResponses } from '../platform/http-errors.ts';
import { LimitQuery, pageLimit } from '../platform/paging.ts';
import { jobsOverview, retryJob } from './job-admin.ts';

const readers: Access = { roles: ['admin', 'auditor'] };
const tags = ['operations'];
const JobState = Type.Union([
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('done'),
  Type.Literal('failed'),
]);
const Instant = Type.String({ format: 'date-time' });

const JobView = Type.Object({
  id: Type.String(),
  type: Type.String(),
  state: JobState,
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  runAt: Instant,
  createdAt: Instant,
  finishedAt: Type.Union([Instant, Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
});

const JobsQuery = Type.Object(
  {
    state: Type.Optional(JobState),
    type: Type.Optional(Type.String({ pattern: '^[A-Z][A-Z0-9_]*$', maxLength: 100 })),
    before: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$', description: 'Jobs older than this id' })),
    limit: LimitQuery('Jobs'),
  },
  { additionalProperties: false },
);

export const queueRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/jobs',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: 'Background jobs: counts by type and state, and the newest jobs (without their payloads)',
        querystring: JobsQuery,
        response: {
          200: Type.Object({
            counts: Type.Array(Type.Object({ type: Type.String(), state: JobState, count: Type.Integer() })),
            items: Type.Array(JobView),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { counts, items } = await jobsOverview(deps, {
        ...request.query,
        limit: pageLimit(request.query.limit),
      });
      return {
        counts: counts.map((row) => ({
          type: row.type,
          state: row.state as JobStateColumn,
          count: Number(row.count),
        })),
        items: items.map((job) => ({
          id: String(job.id),
          type: job.type,
          state: job.state,
          attempts: job.attempts,
          maxAttempts: job.max_attempts,
          runAt: job.run_at.toISOString(),
          createdAt: job.created_at.toISOString(),
          finishedAt: job.finished_at ? job.finished_at.toISOString() : null,
          lastError: job.last_error,
        })),
      };
    },
  );

  app.post(
    '/api/v1/jobs/:jobId/retry',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags,
        summary: 'Put a job that failed for good back in the queue, with a fresh set of attempts',
        params: Type.Object({ jobId: Type.String({ pattern: '^[0-9]{1,19}$' }) }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await retryJob(deps, request.principal as Principal, request.params.jobId);
      return reply.code(204).send(null);
    },
  );
};
