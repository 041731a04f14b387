// The accounts feature's HTTP API: sessions, users, tokens and the audit log.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Deps } from '../deps.ts';
import { auditRoutes } from './routes/audit-routes.ts';
import { sessionRoutes } from './routes/session-routes.ts';
import { tokenRoutes } from './routes/token-routes.ts';
import { userRoutes } from './routes/user-routes.ts';

export const authRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  await app.register(sessionRoutes, { deps });
  await app.register(userRoutes, { deps });
  await app.register(tokenRoutes, { deps });
  await app.register(auditRoutes, { deps });
};
