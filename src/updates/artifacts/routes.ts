// Firmware artifacts over HTTP: a raw streamed upload per model, the list, one artifact, and its
// bytes with ETag and byte ranges.
import type { Readable } from 'node:stream';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Access, Principal } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { TooLarge } from '../../platform/errors.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import { sendStoredFile } from '../../platform/http-stored-file.ts';
import { getArtifact, listArtifacts, uploadArtifact } from './service.ts';
import type { ArtifactRow } from './store.ts';

const readers: Access = { roles: ['admin', 'analyst', 'auditor', 'supplier'] };
const uploaders: Access = { roles: ['admin', 'analyst', 'supplier'] };
const tags = ['updates'];
const Id = Type.String({ format: 'uuid' });

export const ArtifactView = Type.Object({
  id: Id,
  modelId: Id,
  fileName: Type.String(),
  size: Type.Integer(),
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  sha512: Type.String({ pattern: '^[0-9a-f]{128}$' }),
  uploadedBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  contentUrl: Type.String({ description: 'Where the bytes are (supports Range and If-None-Match)' }),
});

const present = (row: ArtifactRow) => ({
  id: row.id,
  modelId: row.model_id,
  fileName: row.file_name,
  size: row.size,
  sha256: row.sha256,
  sha512: row.sha512,
  uploadedBy: row.uploaded_by_label,
  createdAt: row.created_at.toISOString(),
  contentUrl: `/api/v1/artifacts/${row.id}/content`,
});

const binary = (description: string) => ({
  description,
  content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
});

export const artifactRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  // The body is streamed to storage as it arrives, never buffered; the storage enforces the limit.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

  app.post(
    '/api/v1/models/:modelId/artifacts',
    {
      config: { access: uploaders },
      schema: {
        tags,
        summary: 'Upload a firmware file for a model (raw bytes, streamed)',
        description:
          'Send the file as the request body with content-type application/octet-stream. SHA-256 and ' +
          'SHA-512 are computed on the way in. The same bytes uploaded again for the model answer 200 ' +
          'with the existing artifact. Suppliers may upload only for models their supplier builds.',
        params: Type.Object({ modelId: Id }),
        querystring: Type.Object(
          { fileName: Type.String({ minLength: 1, maxLength: 200, examples: ['cam-x200-2.4.1.bin'] }) },
          { additionalProperties: false },
        ),
        consumes: ['application/octet-stream'],
        body: {
          content: {
            'application/octet-stream': { schema: { format: 'binary', description: 'The firmware file' } },
          },
        },
        response: { 200: ArtifactView, 201: ArtifactView, ...errorResponses(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      try {
        const declared = Number(request.headers['content-length'] ?? Number.NaN);
        if (declared > deps.config.artifactMaxBytes) {
          throw new TooLarge(`The file is larger than the limit of ${deps.config.artifactMaxBytes} bytes.`);
        }
        const result = await uploadArtifact(deps, request.principal as Principal, {
          modelId: request.params.modelId,
          fileName: request.query.fileName,
          body: request.body as Readable,
        });
        return reply.code(result.created ? 201 : 200).send(present(result.row));
      } catch (error) {
        // The rest of the body is not read: close the connection after the answer instead of draining it.
        if (error instanceof TooLarge) reply.header('connection', 'close');
        throw error;
      }
    },
  );

  app.get(
    '/api/v1/models/:modelId/artifacts',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: 'Firmware files uploaded for a model, newest first',
        params: Type.Object({ modelId: Id }),
        response: {
          200: Type.Object({ items: Type.Array(ArtifactView) }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => ({
      items: (await listArtifacts(deps, request.principal as Principal, request.params.modelId)).map(present),
    }),
  );

  app.get(
    '/api/v1/artifacts/:artifactId',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: 'One firmware file: its hashes and size',
        params: Type.Object({ artifactId: Id }),
        response: { 200: ArtifactView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      present(await getArtifact(deps, request.principal as Principal, request.params.artifactId)),
  );

  app.get(
    '/api/v1/artifacts/:artifactId/content',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: 'The bytes of a firmware file (Range, If-Range and If-None-Match supported)',
        params: Type.Object({ artifactId: Id }),
        response: {
          200: binary('The whole file'),
          206: binary('The requested byte range'),
          304: { description: 'Not modified (the ETag matched)', type: 'null' },
          ...errorResponses(400, 401, 403, 404, 416),
        },
      },
    },
    async (request, reply) => {
      const row = await getArtifact(deps, request.principal as Principal, request.params.artifactId);
      return sendStoredFile(request, reply, {
        sha256: row.sha256,
        size: row.size,
        contentType: 'application/octet-stream',
        downloadName: row.file_name,
        cacheControl: 'private, no-cache',
        open: (range) => deps.artifacts.open(row.sha256, range),
      });
    },
  );
};
