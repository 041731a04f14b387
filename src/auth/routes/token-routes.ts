// API tokens: each signed-in user manages their own; an admin sees and revokes everyone's.
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import { type Principal, signedIn } from '../access.ts';
import { createToken, listTokens, revokeToken } from '../tokens.ts';
import { RoleSchema } from './schemas.ts';

const When = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

const TokenView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  role: RoleSchema,
  prefix: Type.String({ description: 'First characters of the token, to recognise it' }),
  userId: Type.String({ format: 'uuid' }),
  userEmail: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: When,
  expiresAt: When,
  revokedAt: When,
});

const CreatedToken = Type.Intersect([
  TokenView,
  Type.Object({ token: Type.String({ description: 'The secret; shown only in this answer' }) }),
]);

const NewToken = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    role: RoleSchema,
    expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export const tokenRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/tokens',
    {
      config: { access: signedIn },
      schema: {
        tags: ['tokens'],
        summary: 'Your API tokens (an admin: everyone’s), revoked ones included',
        response: { 200: Type.Object({ tokens: Type.Array(TokenView) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ tokens: await listTokens(deps, request.principal as Principal) }),
  );

  app.post(
    '/api/v1/tokens',
    {
      config: { access: signedIn },
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token acting as your role or a lesser one; the secret is shown once',
        description:
          'Send it as "Authorization: Bearer <token>". Roles: admin may create any; analyst: analyst or ' +
          'auditor; supplier: supplier (same supplier); auditor: auditor. Needs a browser session.',
        body: NewToken,
        response: { 201: CreatedToken, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { expiresAt, ...rest } = request.body;
      const created = await createToken(
        deps,
        request.principal as Principal,
        { ...rest, expiresAt: expiresAt === undefined ? undefined : new Date(expiresAt) },
        request.ip,
      );
      return reply.code(201).header('cache-control', 'no-store').send(created);
    },
  );

  app.delete(
    '/api/v1/tokens/:tokenId',
    {
      config: { access: signedIn },
      schema: {
        tags: ['tokens'],
        summary: 'Revoke an API token',
        params: Type.Object({ tokenId: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await revokeToken(deps, request.principal as Principal, request.params.tokenId, request.ip);
      return reply.code(204).send(null);
    },
  );
};
