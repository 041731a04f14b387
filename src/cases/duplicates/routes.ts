// Duplicates over HTTP: the cases most like a report or a case, and merging one case into another.
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Principal } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { Invalid } from '../../platform/errors.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import { caseWriters, reportReaders } from '../policy.ts';
import { CaseStateSchema, CaseView, presentCase } from '../presenters.ts';
import { getCase } from '../service.ts';
import { mergeCase } from './merge-case.ts';
import type { SimilarCase } from './scoring.ts';
import { similarCasesForCase, similarCasesForReport } from './similar-cases.ts';

const tags = ['cases'];
const Uuid = Type.String({ format: 'uuid' });
const maxSuggestions = 20;
const defaultSuggestions = 5;

const SimilarQuery = Type.Object(
  {
    limit: Type.Optional(
      Type.String({
        pattern: '^[0-9]{1,2}$',
        description: `Cases to suggest, 1 to ${maxSuggestions} (default ${defaultSuggestions})`,
      }),
    ),
  },
  { additionalProperties: false },
);

const SimilarCaseView = Type.Object({
  caseId: Uuid,
  number: Type.String({ examples: ['CASE-2026-0001'] }),
  title: Type.String(),
  state: CaseStateSchema,
  score: Type.Number({ minimum: 0, maximum: 1, description: 'See docs/cases.md, "Duplicate suggestions"' }),
  reasons: Type.Array(Type.String(), { examples: [['Same product']] }),
});

const SimilarCases = Type.Object({ items: Type.Array(SimilarCaseView) });

const MergeBody = Type.Object(
  {
    intoCaseId: Type.String({
      format: 'uuid',
      description: 'The case that keeps going and receives the reports',
    }),
    reason: Type.Optional(Type.String({ maxLength: 5000, description: 'Default: "Merged into <number>"' })),
  },
  { additionalProperties: false },
);

function suggestionLimit(limit: string | undefined): number {
  const value = limit === undefined ? defaultSuggestions : Number(limit);
  if (value < 1 || value > maxSuggestions)
    throw new Invalid({ limit: `must be from 1 to ${maxSuggestions}` });
  return value;
}

const present = (items: SimilarCase[]) => ({ items });

export const duplicateRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/reports/:reportId/similar-cases',
    {
      config: { access: reportReaders },
      schema: {
        tags,
        summary: 'Cases most like this report (possible duplicates), best first, leaving out its own case',
        params: Type.Object({ reportId: Uuid }),
        querystring: SimilarQuery,
        response: { 200: SimilarCases, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      present(
        await similarCasesForReport(
          deps,
          request.principal as Principal,
          request.params.reportId,
          suggestionLimit(request.query.limit),
        ),
      ),
  );

  app.get(
    '/api/v1/cases/:caseId/similar-cases',
    {
      config: { access: reportReaders },
      schema: {
        tags,
        summary: 'Other cases most like this one (possible duplicates), best first',
        params: Type.Object({ caseId: Uuid }),
        querystring: SimilarQuery,
        response: { 200: SimilarCases, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      present(
        await similarCasesForCase(
          deps,
          request.principal as Principal,
          request.params.caseId,
          suggestionLimit(request.query.limit),
        ),
      ),
  );

  app.post(
    '/api/v1/cases/:caseId/merge',
    {
      config: { access: caseWriters },
      schema: {
        tags,
        summary: 'Merge this case into another: its reports move there as duplicates, it becomes duplicate',
        description:
          'Only a case that is new or in triage can be merged, and not into a case that is itself a duplicate (409). Answers with the case merged into.',
        params: Type.Object({ caseId: Uuid }),
        body: MergeBody,
        response: { 200: CaseView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const principal = request.principal as Principal;
      await mergeCase(deps, principal, request.params.caseId, request.body);
      return presentCase(await getCase(deps, principal, request.body.intoCaseId), principal);
    },
  );
};
