// Liveness and readiness for load balancers and orchestrators.
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import type { Deps } from '../deps.ts';

const Health = Type.Object({ status: Type.String(), database: Type.Optional(Type.String()) });

export const healthRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: { tags: ['meta'], summary: 'The process is alive', response: { 200: Health } },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['meta'],
        summary: 'The process can serve requests (database reachable)',
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      try {
        await sql`select 1`.execute(deps.db);
        return { status: 'ready', database: 'ok' };
      } catch {
        return reply.code(503).send({ status: 'not ready', database: 'unreachable' });
      }
    },
  );
};
