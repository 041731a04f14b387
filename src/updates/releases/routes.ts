// Releases over HTTP: create one for a model (staff), list a model's, read one, withdraw one (admin).
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Access, Principal } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import { createRelease, getRelease, listReleases, withdrawRelease } from './service.ts';
import type { ReleaseRow } from './store.ts';

const readers: Access = { roles: ['admin', 'analyst', 'auditor', 'supplier'] };
const tags = ['updates'];
const Id = Type.String({ format: 'uuid' });

export const ReleaseView = Type.Object({
  id: Id,
  modelId: Id,
  artifact: Type.Object({
    id: Id,
    fileName: Type.String(),
    size: Type.Integer(),
    sha256: Type.String(),
  }),
  version: Type.String(),
  hardwareRevisions: Type.Array(Type.String()),
  notes: Type.String(),
  installOver: Type.String({ description: 'The installed versions this release may be installed over' }),
  releaseCounter: Type.Integer({ description: 'Per model, strictly increasing; devices refuse a lower one' }),
  targetPath: Type.String({ description: 'The TUF target path' }),
  state: Type.Union([Type.Literal('awaiting-signature'), Type.Literal('signed'), Type.Literal('withdrawn')]),
  signedInTargetsVersion: Type.Union([Type.Integer(), Type.Null()]),
  fixesCases: Type.Array(Id),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  withdrawnAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const present = (row: ReleaseRow) => ({
  id: row.id,
  modelId: row.model_id,
  artifact: {
    id: row.artifact_id,
    fileName: row.artifact_file_name,
    size: row.artifact_size,
    sha256: row.artifact_sha256,
  },
  version: row.version,
  hardwareRevisions: row.hardware_revisions,
  notes: row.notes,
  installOver: row.install_over,
  releaseCounter: row.release_counter,
  targetPath: row.target_path,
  state: row.state,
  signedInTargetsVersion: row.signed_in_targets_version,
  fixesCases: row.fixes_cases,
  createdBy: row.created_by_label,
  createdAt: row.created_at.toISOString(),
  withdrawnAt: row.withdrawn_at?.toISOString() ?? null,
});

export const releaseRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.post(
    '/api/v1/models/:modelId/releases',
    {
      config: { access: { roles: ['admin', 'analyst'] } },
      schema: {
        tags,
        summary: 'Release a firmware artifact of the model',
        description:
          'The release gets the model’s next release counter and a TUF target path, and waits for the ' +
          'targets signing ceremony (`openpsirt tuf sign-targets`) before devices can fetch it.',
        params: Type.Object({ modelId: Id }),
        body: Type.Object(
          {
            artifactId: Id,
            version: Type.String({ minLength: 1, maxLength: 100, examples: ['2.4.1'] }),
            hardwareRevisions: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
              minItems: 1,
              maxItems: 100,
            }),
            notes: Type.Optional(Type.String({ maxLength: 10_000 })),
            installOver: Type.String({ minLength: 1, maxLength: 2000, examples: ['>= 2.0.0, < 2.4.1'] }),
            fixesCases: Type.Optional(Type.Array(Id, { maxItems: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: ReleaseView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          present(
            await createRelease(deps, request.principal as Principal, request.params.modelId, request.body),
          ),
        ),
  );

  app.get(
    '/api/v1/models/:modelId/releases',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: 'Releases of a model, newest first',
        params: Type.Object({ modelId: Id }),
        response: {
          200: Type.Object({ items: Type.Array(ReleaseView) }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => ({
      items: (await listReleases(deps, request.principal as Principal, request.params.modelId)).map(present),
    }),
  );

  app.get(
    '/api/v1/releases/:releaseId',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: 'One release',
        params: Type.Object({ releaseId: Id }),
        response: { 200: ReleaseView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      present(await getRelease(deps, request.principal as Principal, request.params.releaseId)),
  );

  app.post(
    '/api/v1/releases/:releaseId/withdraw',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags,
        summary: 'Withdraw a release: its file is no longer served, and the next targets leave it out',
        params: Type.Object({ releaseId: Id }),
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 2000 }) },
          { additionalProperties: false },
        ),
        response: { 200: ReleaseView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      present(
        await withdrawRelease(
          deps,
          request.principal as Principal,
          request.params.releaseId,
          request.body.reason,
        ),
      ),
  );
};
