// Sign-in, the signed-in user, sign-out (here and everywhere) and password change.
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.ts';
import { Forbidden } from '../../platform/errors.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import { signedIn } from '../access.ts';
import { clearSessionCookie, SESSION_COOKIE, sessionCookieOptions } from '../http-access.ts';
import { passwordRules } from '../passwords.ts';
import { changePassword, type SessionPrincipal, signIn, signOut, signOutEverywhere } from '../sessions.ts';
import { RoleSchema } from './schemas.ts';

export const UserSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  supplierId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
});

const SignedIn = Type.Object({
  user: UserSummary,
  csrfToken: Type.Union([Type.String(), Type.Null()], {
    description:
      'Send it as the x-csrf-token header on every POST, PUT, PATCH and DELETE (null for API tokens)',
  }),
});

const Login = Type.Object(
  {
    email: Type.String({ maxLength: 254 }),
    password: Type.String({ maxLength: passwordRules.maxLength }),
  },
  { additionalProperties: false },
);

const PasswordChange = Type.Object(
  {
    currentPassword: Type.String({ maxLength: passwordRules.maxLength }),
    newPassword: Type.String({ minLength: passwordRules.minLength, maxLength: passwordRules.maxLength }),
  },
  { additionalProperties: false },
);

export const sessionRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const publicOrigin = new URL(deps.config.publicUrl).origin;

  app.post(
    '/api/v1/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password; sets the session cookie',
        description:
          'Failed attempts are counted per account and per address; past the limit the answer is 429 ' +
          'with Retry-After. A browser Origin other than the public URL is refused (login CSRF).',
        body: Login,
        response: { 200: SignedIn, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const origin = request.headers.origin;
      if (origin !== undefined && origin !== publicOrigin) {
        throw new Forbidden(`Sign in from ${publicOrigin}.`, 'CSRF_FAILED');
      }
      const result = await signIn(deps, request.body, {
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      });
      reply.setCookie(
        SESSION_COOKIE,
        result.sessionToken,
        sessionCookieOptions(deps.config.publicUrl, result.expiresAt),
      );
      return reply
        .header('cache-control', 'no-store')
        .send({ user: result.user, csrfToken: result.csrfToken });
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      config: { access: signedIn },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, and the CSRF token of this session',
        response: { 200: SignedIn, ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      const principal = request.principal as SessionPrincipal;
      return reply.header('cache-control', 'no-store').send({
        user: {
          id: principal.userId,
          email: principal.email,
          name: principal.name,
          role: principal.role,
          supplierId: principal.supplierId,
        },
        csrfToken: principal.via === 'session' ? principal.csrfToken : null,
      });
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { access: signedIn },
      schema: {
        tags: ['auth'],
        summary: 'Sign out of this session',
        response: { 204: Type.Null(), ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      await signOut(deps, request.principal as SessionPrincipal, request.ip);
      clearSessionCookie(reply, deps.config.publicUrl);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/logout-everywhere',
    {
      config: { access: signedIn },
      schema: {
        tags: ['auth'],
        summary: 'Sign out of every session of this account, this one included (API tokens stay)',
        response: { 204: Type.Null(), ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      await signOutEverywhere(deps, request.principal as SessionPrincipal, request.ip);
      clearSessionCookie(reply, deps.config.publicUrl);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/password',
    {
      config: { access: signedIn },
      schema: {
        tags: ['auth'],
        summary: 'Change your password; your other sessions end',
        body: PasswordChange,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      await changePassword(deps, request.principal as SessionPrincipal, request.body, request.ip);
      return reply.code(204).send(null);
    },
  );
};
