// The HTTP edge of the one authorization layer: every route must declare `config.access` (the server
// refuses to start otherwise), requests are authenticated by session cookie or bearer token, roles are
// enforced before the body is read, and session-authenticated writes must carry the CSRF token.
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { Forbidden, Unauthenticated } from '../platform/errors.ts';
import { type Access, isRole, type Principal } from './access.ts';
import { sameSecret } from './secrets.ts';
import { authenticateSession, type SessionPrincipal } from './sessions.ts';
import { authenticateToken } from './tokens.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route: 'public', or the roles allowed. Required on every route. */
    access?: Access;
  }
  interface FastifyInstance {
    /** What each route declared, by `METHOD /url` (HEAD twins included), for tests and diagnostics. */
    routeAccess: Map<string, Access>;
  }
  interface FastifyRequest {
    /** The signed-in user or token; always null on public routes. */
    principal: Principal | null;
  }
}

export const SESSION_COOKIE = 'openpsirt_session';
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function checkDeclaration(access: unknown, where: string): void {
  if (access === 'public') return;
  const declared = (access as { roles?: unknown } | undefined)?.roles;
  if (!Array.isArray(declared) || declared.length === 0 || !declared.every(isRole)) {
    throw new Error(
      `Route ${where} declares no access: add config: { access: 'public' } or config: { access: { roles: [...] } }`,
    );
  }
}

const accessOf = (request: FastifyRequest): Access | undefined =>
  (request.routeOptions.config as { access?: Access } | undefined)?.access;

export function sessionCookieOptions(publicUrl: string, expires: Date) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: new URL(publicUrl).protocol === 'https:',
    expires,
  };
}

export function clearSessionCookie(reply: FastifyReply, publicUrl: string) {
  reply.clearCookie(SESSION_COOKIE, { ...sessionCookieOptions(publicUrl, new Date(0)), expires: undefined });
}

async function authenticate(deps: Deps, request: FastifyRequest): Promise<Principal | null> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1] ? authenticateToken(deps, match[1]) : null;
  }
  const sessionToken = request.cookies[SESSION_COOKIE];
  return sessionToken ? authenticateSession(deps, sessionToken) : null;
}

function presentedCsrf(request: FastifyRequest): string | undefined {
  const header = request.headers[CSRF_HEADER];
  if (typeof header === 'string') return header;
  const body = request.body as Record<string, unknown> | null | undefined;
  const contentType = request.headers['content-type'] ?? '';
  if (contentType.startsWith('application/x-www-form-urlencoded') && body && typeof body === 'object') {
    const field = body[CSRF_FIELD];
    // The field has done its job; removing it keeps strict body schemas unaware of it.
    delete body[CSRF_FIELD];
    if (typeof field === 'string') return field;
  }
  return undefined;
}

/**
 * Installs the layer on the root instance. Call before registering any feature plugin: the
 * `onRoute` check and the hooks apply to routes registered after it.
 */
export async function installAccessControl(app: FastifyInstance, deps: Deps): Promise<void> {
  await app.register(cookie);
  app.decorateRequest('principal', null);
  const declared = new Map<string, Access>();
  app.decorate('routeAccess', declared);

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const access = (route.config as { access?: unknown } | undefined)?.access;
    checkDeclaration(access, `${methods.join(',')} ${route.url}`);
    for (const method of methods) declared.set(`${method} ${route.url}`, access as Access);
  });

  app.addHook('onRequest', async (request) => {
    const access = accessOf(request);
    // Unmatched URLs (the 404 handler) have no route config; they serve nothing to protect.
    if (access === undefined || access === 'public') return;
    const principal = await authenticate(deps, request);
    if (!principal) throw new Unauthenticated('Sign in, or send an API token as "Authorization: Bearer …".');
    if (!access.roles.includes(principal.role)) {
      throw new Forbidden(`Your role (${principal.role}) may not do this.`);
    }
    request.principal = principal;
  });

  // After body parsing (a form's _csrf field), before validation and the handler.
  app.addHook('preValidation', async (request) => {
    const principal = request.principal as SessionPrincipal | null;
    if (principal?.via !== 'session' || !stateChanging.has(request.method)) return;
    const presented = presentedCsrf(request);
    if (presented === undefined || !sameSecret(presented, principal.csrfToken)) {
      throw new Forbidden(
        `Send the CSRF token of your session in the ${CSRF_HEADER} header (or the ${CSRF_FIELD} form field).`,
        'CSRF_FAILED',
      );
    }
  });
}
