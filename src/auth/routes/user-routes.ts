// User administration (admin only): list, create, change role, supplier, name, password, disable.
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import type { Principal } from '../access.ts';
import { passwordRules } from '../passwords.ts';
import { createUser, listAssignableStaff, listUsers, updateUser } from '../users.ts';
import { RoleSchema } from './schemas.ts';

const SupplierId = Type.Union([Type.String({ format: 'uuid' }), Type.Null()]);

export const UserView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  supplierId: SupplierId,
  disabled: Type.Boolean(),
  disabledAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

const NewUser = Type.Object(
  {
    email: Type.String({ maxLength: 254 }),
    name: Type.String({ maxLength: 200 }),
    role: RoleSchema,
    supplierId: Type.Optional(SupplierId),
    password: Type.String({ minLength: passwordRules.minLength, maxLength: passwordRules.maxLength }),
  },
  { additionalProperties: false },
);

const UserChanges = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    role: Type.Optional(RoleSchema),
    supplierId: Type.Optional(SupplierId),
    disabled: Type.Optional(
      Type.Boolean({ description: 'true ends the sessions and revokes the API tokens' }),
    ),
    password: Type.Optional(
      Type.String({
        minLength: passwordRules.minLength,
        maxLength: passwordRules.maxLength,
        description: 'Sets a new password; the sessions of the user end',
      }),
    ),
  },
  { additionalProperties: false },
);

const admin = { roles: ['admin'] } as const;

export const userRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/users',
    {
      config: { access: admin },
      schema: {
        tags: ['users'],
        summary: 'Every account',
        response: { 200: Type.Object({ users: Type.Array(UserView) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({ users: await listUsers(deps.db) }),
  );

  app.get(
    '/api/v1/users/assignable',
    {
      config: { access: { roles: ['admin', 'analyst', 'auditor'] } },
      schema: {
        tags: ['users'],
        summary: 'Enabled admins and analysts, the people a case can be assigned to (names only)',
        response: {
          200: Type.Object({
            users: Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() })),
          }),
          ...errorResponses(401, 403),
        },
      },
    },
    async () => ({ users: await listAssignableStaff(deps.db) }),
  );

  app.post(
    '/api/v1/users',
    {
      config: { access: admin },
      schema: {
        tags: ['users'],
        summary: 'Create an account (the supplier role needs supplierId)',
        body: NewUser,
        response: { 201: UserView, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const user = await createUser(deps, request.body, request.principal as Principal, request.ip);
      return reply.code(201).send(user);
    },
  );

  app.patch(
    '/api/v1/users/:userId',
    {
      config: { access: admin },
      schema: {
        tags: ['users'],
        summary: 'Change an account: role, supplier, name, password, disabled',
        params: Type.Object({ userId: Type.String({ format: 'uuid' }) }),
        body: UserChanges,
        response: { 200: UserView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      updateUser(deps, request.params.userId, request.body, request.principal as Principal, request.ip),
  );
};
