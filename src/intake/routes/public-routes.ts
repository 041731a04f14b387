// security.txt, the OpenPGP key, the disclosure policy and the acknowledgments page.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.ts';
import { html } from '../../platform/html.ts';
import { page } from '../../site/layout.ts';
import { policyPage } from '../pages/policy-page.ts';
import { loadPolicy } from '../policy-settings.ts';
import { buildSecurityTxt, securityTxtPaths } from '../security-txt.ts';
import { creditedReporters } from '../store.ts';

const textSchema = { 200: { type: 'string' as const } };

export const publicRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const signedByDay = new Map<string, string>();

  async function securityTxt(): Promise<string> {
    const now = deps.clock();
    const policy = await loadPolicy(deps.db);
    const text = buildSecurityTxt({
      publicUrl: deps.config.publicUrl,
      securityEmail: deps.config.securityEmail,
      preferredLanguages: deps.config.preferredLanguages,
      acknowledgmentsUrl: policy.acknowledgmentsUrl,
      expiresDays: deps.config.securityTxtExpiresDays,
      today: now,
    });
    if (!deps.config.securityTxtSigned) return text;
    const cached = signedByDay.get(text);
    if (cached) return cached;
    const signed = await deps.pgp.signCleartext(text);
    signedByDay.clear();
    signedByDay.set(text, signed);
    return signed;
  }

  for (const url of [securityTxtPaths.canonical, '/security.txt']) {
    app.get(
      url,
      {
        config: { access: 'public' },
        schema: {
          tags: ['public pages'],
          summary: 'security.txt (RFC 9116), OpenPGP cleartext-signed when configured',
          response: textSchema,
        },
      },
      async (_request, reply) =>
        reply
          .type('text/plain; charset=utf-8')
          .header('cache-control', 'public, max-age=3600')
          .send(await securityTxt()),
    );
  }

  app.get(
    securityTxtPaths.pgpKey,
    {
      config: { access: 'public' },
      schema: { tags: ['public pages'], summary: "The server's public OpenPGP key", response: textSchema },
    },
    async (_request, reply) =>
      reply
        .type('application/pgp-keys; charset=utf-8')
        .header('x-openpgp-fingerprint', deps.pgp.fingerprint)
        .send(deps.pgp.publicArmored),
  );

  app.get(
    securityTxtPaths.policy,
    {
      config: { access: 'public' },
      schema: { tags: ['public pages'], summary: 'Vulnerability disclosure policy' },
    },
    async (_request, reply) => {
      const body = policyPage(await loadPolicy(deps.db), deps.config);
      return reply
        .type('text/html; charset=utf-8')
        .send(page({ title: 'Vulnerability disclosure policy', orgName: deps.config.orgName, body }));
    },
  );

  app.get(
    securityTxtPaths.acknowledgments,
    {
      config: { access: 'public' },
      schema: { tags: ['public pages'], summary: 'Researchers credited in published advisories' },
    },
    async (_request, reply) => {
      const names = await creditedReporters(deps.db);
      const body = html`<h1>Acknowledgments</h1>
<p>We thank these researchers for reporting vulnerabilities to us and helping keep our customers safe.</p>
${names.length === 0 ? html`<p>No advisories have been published yet.</p>` : html`<ul>${names.map((n) => html`<li>${n.credit_name} (${n.tracking_id})</li>`)}</ul>`}`;
      return reply
        .type('text/html; charset=utf-8')
        .send(page({ title: 'Acknowledgments', orgName: deps.config.orgName, body }));
    },
  );
};
