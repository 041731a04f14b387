// Composition root of the HTTP server: shared plugins, security headers, then one plugin per feature.
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { installAccessControl } from './auth/http-access.ts';
import { authRoutes } from './auth/routes.ts';
import { casesRoutes } from './cases/routes.ts';
import { consoleRoutes } from './console/routes.ts';
import type { Deps } from './deps.ts';
import { deviceRoutes } from './fleet/devices/routes.ts';
import { healthRoutes } from './health/routes.ts';
import { apiRoutes } from './intake/routes/api-routes.ts';
import { formRoutes } from './intake/routes/form-routes.ts';
import { publicRoutes } from './intake/routes/public-routes.ts';
import { statusRoutes } from './intake/routes/status-routes.ts';
import { inventoryRoutes } from './inventory/routes.ts';
import { frameworkErrorHandler, installErrorHandlers } from './platform/http-error-handler.ts';
import { queueRoutes } from './queue/routes.ts';
import { siteRoutes } from './site/routes.ts';
import { supplierRoutes } from './suppliers/routes.ts';
import { artifactRoutes } from './updates/artifacts/routes.ts';
import { coverageRoutes } from './updates/coverage/routes.ts';
import { directorRoutes } from './updates/director/routes.ts';
import { releaseRoutes } from './updates/releases/routes.ts';
import { rolloutRoutes } from './updates/rollouts/routes.ts';
import { tufRoutes } from './updates/tuf/routes.ts';
import { webhookRoutes } from './webhooks/routes.ts';

export const contentSecurityPolicy = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const securityHeaders = {
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * Devices never render what they are sent, and the browser-only headers above would be a quarter
 * of every idle check-in's bytes (docs/benchmarks.md, checkin), multiplied by every poll of a fleet.
 */
const deviceProtocolHeaders = { 'x-content-type-options': 'nosniff' };

export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: deps.config.maxBodyBytes,
    trustProxy: deps.config.trustProxy,
    frameworkErrors: frameworkErrorHandler(deps.config.orgName, securityHeaders),
    ajv: {
      customOptions: { allErrors: true, coerceTypes: false, removeAdditional: false, strictTypes: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'OpenPSIRT API',
        version: '0.1.0',
        description: 'Product security incident response for makers of connected devices.',
      },
      servers: [{ url: deps.config.publicUrl }],
    },
  });
  await app.register(formbody, { bodyLimit: deps.config.maxBodyBytes });
  await app.register(multipart, { limits: { fieldSize: deps.config.maxBodyBytes } });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: `Too many submissions from your address: at most ${context.max} per ${context.after === '' ? 'hour' : 'hour'}; try again in ${Math.ceil(context.ttl / 60_000)} minutes.`,
    }),
  });

  app.addHook('onSend', async (request, reply) => {
    // By the matched route, not the address: an unknown /device/v1/… page is HTML and gets them all.
    const device = request.routeOptions.url?.startsWith('/device/v1/') ?? false;
    reply.headers(device ? deviceProtocolHeaders : securityHeaders);
  });
  installErrorHandlers(app, deps.config.orgName);
  // Before any feature: every route registered after this must declare its access.
  await installAccessControl(app, deps);

  await app.register(siteRoutes, { deps });
  await app.register(healthRoutes, { deps });
  await app.register(publicRoutes, { deps });
  await app.register(formRoutes, { deps });
  await app.register(apiRoutes, { deps });
  await app.register(statusRoutes, { deps });
  await app.register(authRoutes, { deps });
  await app.register(inventoryRoutes, { deps });
  await app.register(supplierRoutes, { deps });
  await app.register(casesRoutes, { deps });
  await app.register(consoleRoutes, { deps });
  await app.register(webhookRoutes, { deps });
  await app.register(artifactRoutes, { deps });
  await app.register(queueRoutes, { deps });
  await app.register(releaseRoutes, { deps });
  await app.register(tufRoutes, { deps });
  await app.register(deviceRoutes, { deps });
  await app.register(directorRoutes, { deps });
  await app.register(rolloutRoutes, { deps });
  await app.register(coverageRoutes, { deps });

  app.get(
    '/api/openapi.json',
    { config: { access: 'public' }, schema: { tags: ['meta'], summary: 'This OpenAPI 3.1 document' } },
    async () => app.swagger(),
  );
  return app;
}
