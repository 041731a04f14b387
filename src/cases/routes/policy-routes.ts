// The response policy over HTTP: staff read it, admins change it (see docs/response-clocks.md).
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Principal } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import { presentResponsePolicy, ResponsePolicyView } from '../clock-presenters.ts';
import { loadResponsePolicy } from '../clocks/response-policy.ts';
import { setResponsePolicy } from '../commands/set-response-policy.ts';
import { staffReaders } from '../policy.ts';

const tags = ['cases'];

// Values are checked by checkResponsePolicy, which names each bad field with a reason.
const PolicyEdit = Type.Record(Type.String(), Type.Unknown(), {
  minProperties: 1,
  description:
    'Only the settings to change, e.g. { "timeZone": "Europe/Berlin", "holidays": ["2026-12-25"] }',
});

export const policyRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/response-policy',
    {
      config: { access: staffReaders },
      schema: {
        tags,
        summary: 'The response policy every case is measured against',
        response: { 200: ResponsePolicyView, ...errorResponses(401, 403) },
      },
    },
    async () => presentResponsePolicy(await loadResponsePolicy(deps.db)),
  );

  app.put(
    '/api/v1/response-policy',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags,
        summary: 'Change settings of the response policy (admins; audited)',
        body: PolicyEdit,
        response: { 200: ResponsePolicyView, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) =>
      presentResponsePolicy(
        await setResponsePolicy(deps, request.principal as Principal, request.body, request.ip),
      ),
  );
};
