// Fleet coverage over HTTP: how many devices of a case's affected models run a fixed version.
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { staffReaders } from '../../cases/policy.ts';
import type { Deps } from '../../deps.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import { caseCoverage } from './store.ts';

const Counts = {
  registered: Type.Integer({ description: 'Devices registered of the model' }),
  exposed: Type.Integer({ description: 'Installed version in the affected range and before fixedIn' }),
  fixed: Type.Integer({ description: 'Installed version at or past fixedIn, or outside the range' }),
  unknown: Type.Integer({ description: 'No installed version reported yet' }),
};

export const coverageRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/cases/:caseId/coverage',
    {
      config: { access: staffReaders },
      schema: {
        tags: ['updates'],
        summary:
          'Fleet coverage of a case: per affected model, devices exposed, fixed and of unknown version',
        params: Type.Object({ caseId: Type.String({ format: 'uuid' }) }),
        response: {
          200: Type.Object({
            models: Type.Array(
              Type.Object({
                modelId: Type.String({ format: 'uuid' }),
                modelName: Type.String(),
                versionRange: Type.String(),
                fixedIn: Type.Union([Type.String(), Type.Null()]),
                ...Counts,
              }),
            ),
            totals: Type.Object(Counts, { description: 'Each device counted once' }),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => caseCoverage(deps.db, request.params.caseId),
  );
};
