// The public site's frame: stylesheet, home page, health checks.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { html } from '../platform/html.ts';
import { page, STYLESHEET_PATH, stylesheet } from './layout.ts';

export async function siteRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  app.get(
    STYLESHEET_PATH,
    {
      config: { access: 'public' },
      schema: { tags: ['public pages'], summary: 'Stylesheet of the public pages', hide: false },
    },
    async (_request, reply) => {
      return reply
        .type('text/css; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(stylesheet);
    },
  );

  app.get(
    '/',
    {
      config: { access: 'public' },
      schema: { tags: ['public pages'], summary: 'Home page of the public security site' },
    },
    async (_req, reply) => {
      const body = html`<h1>Product security at ${deps.config.orgName}</h1>
<p>Found a security problem in one of our devices, apps or services? We want to hear about it, and we will work with you to fix it.</p>
<ul>
<li><a href="/policy">Read our vulnerability disclosure policy</a></li>
<li><a href="/report">Report a vulnerability</a> (works without JavaScript; encryption optional)</li>
<li><a href="/.well-known/security.txt">security.txt</a> and our <a href="/.well-known/openpgp-key.asc">OpenPGP key</a></li>
</ul>`;
      return reply
        .type('text/html; charset=utf-8')
        .send(page({ title: 'Home', orgName: deps.config.orgName, body }));
    },
  );
}
