// The reporter thread over HTTP, for staff: read a report's conversation, write to its reporter
// (JSON, or multipart with files), download a file of the report.
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Principal } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { readJsonOrMultipart } from '../../intake/multipart-reader.ts';
import { uploadLimits } from '../../intake/routes/upload-limits.ts';
import type { IncomingFile } from '../../intake/service.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import { sendStoredFile } from '../../platform/http-stored-file.ts';
import { caseWriters, reportReaders } from '../policy.ts';
import { presentMessage, presentThread, ThreadMessageView, ThreadView } from './presenters.ts';
import {
  checkReporterMessage,
  getReporterFile,
  getReporterThread,
  MAX_MESSAGE,
  sendReporterMessage,
} from './service.ts';

const tags = ['cases'];
const Uuid = Type.String({ format: 'uuid' });
const ThreadParams = Type.Object({ caseId: Uuid, reportId: Uuid });
const FileParams = Type.Object({ caseId: Uuid, reportId: Uuid, fileId: Uuid });

const MessageBody = Type.Object(
  { body: Type.String({ maxLength: MAX_MESSAGE + 1000, description: 'Plain text' }) },
  { additionalProperties: false },
);

export const reporterThreadRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const limits = uploadLimits(deps.config);
  const path = '/api/v1/cases/:caseId/reports/:reportId/messages';

  app.get(
    path,
    {
      config: { access: reportReaders },
      schema: {
        tags,
        summary: "The conversation with one report's reporter, oldest first",
        params: ThreadParams,
        response: { 200: ThreadView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { caseId, reportId } = request.params;
      return presentThread(await getReporterThread(deps, request.principal as Principal, caseId, reportId));
    },
  );

  app.post(
    path,
    {
      config: { access: caseWriters },
      schema: {
        tags,
        summary: "Write to one report's reporter (they read it on their status page and get a mail)",
        description:
          'JSON {body}, or multipart/form-data with a text part "body" and files as parts named "attachments". ' +
          'The mail carries a fresh link to the status page, never the message.',
        params: ThreadParams,
        body: {
          content: {
            'application/json': { schema: MessageBody },
            'multipart/form-data': {
              schema: {
                properties: {
                  body: { type: 'string' },
                  attachments: { type: 'array', items: { type: 'string', format: 'binary' } },
                },
              },
            },
          },
        },
        response: { 201: ThreadMessageView, ...errorResponses(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const principal = request.principal as Principal;
      const { caseId, reportId } = request.params;
      let files: IncomingFile[] = [];
      try {
        // Refused before any upload is stored.
        await checkReporterMessage(deps, principal, caseId, reportId);
        const read = await readJsonOrMultipart(request, deps.blobs, {
          fileField: 'attachments',
          textFields: new Set(['body']),
          limits,
        });
        files = read.files;
        const body = read.fields.body ?? '';
        const id = await sendReporterMessage(deps, principal, { caseId, reportId, body, files });
        const thread = await getReporterThread(deps, principal, caseId, reportId);
        return reply.code(201).send(presentMessage(thread, id));
      } catch (error) {
        await deps.blobs.discard(files);
        throw error;
      }
    },
  );

  app.get(
    '/api/v1/cases/:caseId/reports/:reportId/files/:fileId',
    {
      config: { access: reportReaders },
      schema: {
        tags,
        summary: 'Download a file of the report (sent with it or in its conversation)',
        params: FileParams,
        response: {
          200: {
            description: 'The file, always as a download of bytes',
            content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
          },
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const file = await getReporterFile(deps, request.principal as Principal, request.params);
      return sendStoredFile(request, reply, {
        sha256: file.sha256,
        size: Number(file.size),
        contentType: 'application/octet-stream',
        downloadName: file.file_name,
        cacheControl: 'private, no-cache',
        open: (range) => deps.blobs.open(file.sha256, range),
      });
    },
  );
};
