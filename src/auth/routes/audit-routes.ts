// The audit log, read-only, for admins and auditors.
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.ts';
import { listAudit } from '../../platform/audit.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import { LimitQuery, pageLimit } from '../../platform/paging.ts';

const Entry = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.String({ description: 'user:<id>, token:<id>, system, cli or anonymous' }),
  actorLabel: Type.String(),
  action: Type.String({ examples: ['SIGN_IN'] }),
  subjectType: Type.Union([Type.String(), Type.Null()]),
  subjectId: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown()),
  ip: Type.Union([Type.String(), Type.Null()]),
});

export const auditRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/audit',
    {
      config: { access: { roles: ['admin', 'auditor'] } },
      schema: {
        tags: ['audit'],
        summary: 'Audit log entries, newest first',
        querystring: Type.Object(
          {
            limit: LimitQuery('Entries'),
            before: Type.Optional(
              Type.String({ pattern: '^[0-9]{1,18}$', description: 'Id from nextBefore' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            entries: Type.Array(Entry),
            nextBefore: Type.Union([Type.String(), Type.Null()], {
              description: 'Pass as before for the next page; null on the last page',
            }),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const limit = pageLimit(request.query.limit);
      const records = await listAudit(deps.db, { limit, before: request.query.before });
      return {
        entries: records.map((r) => ({ ...r, at: r.at.toISOString() })),
        nextBefore: records.length === limit ? (records.at(-1)?.id ?? null) : null,
      };
    },
  );
};
