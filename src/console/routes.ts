// Serves the staff console (the React app built from web/ into web/dist) at /console: hashed assets
// cached for a year, index.html never cached and answered for every client-side route. The files are
// public; everything behind them is protected by the API.
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Deps } from '../deps.ts';
import { html } from '../platform/html.ts';
import { page } from '../site/layout.ts';

export const CONSOLE_PATH = '/console';
export const defaultConsoleDist = path.resolve(import.meta.dirname, '../../web/dist');

/**
 * The console's own policy: the site's strict one plus scripts and API calls from this origin only
 * (the bundle is a file we serve; no inline script, no eval, nothing from elsewhere).
 */
export const consoleContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const ASSETS = 'assets/';

/** The file under `root` that `relative` names, or null when there is none (or it would leave `root`). */
function fileUnder(root: string, relative: string): string | null {
  const full = path.resolve(root, relative);
  if (!full.startsWith(`${root}${path.sep}`)) return null;
  try {
    return fs.statSync(full).isFile() ? path.relative(root, full) : null;
  } catch {
    return null;
  }
}

export async function consoleRoutes(
  app: FastifyInstance,
  { deps, distDir = defaultConsoleDist }: { deps: Deps; distDir?: string },
) {
  const root = path.resolve(distDir);
  await app.register(fastifyStatic, { root, serve: false });

  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', consoleContentSecurityPolicy);
  });

  const notBuilt = (reply: FastifyReply) => {
    const body = html`<h1>The staff console is not built</h1>
<p>This server has no built console in <code>${root}</code>.</p>
<p>Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it first), then reload this page.</p>`;
    return reply
      .code(503)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('retry-after', '60')
      .send(page({ title: 'Console not built', orgName: deps.config.orgName, body, status: 503 }));
  };

  const sendIndex = (reply: FastifyReply) => {
    if (!fileUnder(root, 'index.html')) return notBuilt(reply);
    return reply
      .header('cache-control', 'no-cache')
      .sendFile('index.html', root, { cacheControl: false, etag: true, lastModified: true });
  };

  app.get(
    CONSOLE_PATH,
    {
      config: { access: 'public' },
      schema: { tags: ['console'], summary: 'Staff console (redirects to /console/)' },
    },
    async (_request, reply) => reply.redirect(`${CONSOLE_PATH}/`, 302),
  );

  app.get(
    `${CONSOLE_PATH}/*`,
    {
      config: { access: 'public' },
      schema: {
        tags: ['console'],
        summary: 'Staff console: its files, and index.html for every client-side route',
      },
    },
    async (request, reply) => {
      const wanted = (request.params as { '*': string })['*'] ?? '';
      const file = wanted === '' ? null : fileUnder(root, wanted);
      if (file?.startsWith(ASSETS)) {
        // Hashed file names: a new build gets new names, so an asset never changes under its URL.
        return reply.sendFile(file, root, { maxAge: '365d', immutable: true });
      }
      if (file && file !== 'index.html') return reply.sendFile(file, root, { maxAge: '1h' });
      // A missing asset is a 404, not the app page (a script tag given HTML fails obscurely).
      if (wanted.startsWith(ASSETS)) return reply.callNotFound();
      return sendIndex(reply);
    },
  );
}
