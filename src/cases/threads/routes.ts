// HTTP API of a case's supplier thread and internal notes: read a thread, post (JSON, or multipart
// with files), download a file, and the supplier's acknowledgement of the case.
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Principal } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { readJsonOrMultipart } from '../../intake/multipart-reader.ts';
import { uploadLimits } from '../../intake/routes/upload-limits.ts';
import type { IncomingFile } from '../../intake/service.ts';
import { Invalid } from '../../platform/errors.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import { sendStoredFile } from '../../platform/http-stored-file.ts';
import { CaseView, presentCase } from '../presenters.ts';
import { getCase } from '../service.ts';
import {
  PurposeSchema,
  presentThreadMessage,
  ThreadMessageView,
  ThreadSchema,
  ThreadView,
} from './presenters.ts';
import {
  acknowledgeCase,
  checkThreadWrite,
  getThreadFile,
  getThreadMessage,
  listThread,
  maxMessageLength,
  postThreadMessage,
} from './service.ts';
import type { FilePurpose } from './store.ts';
import { supplierAcknowledgers, threadReaders, threadWriters } from './thread-policy.ts';

const tags = ['cases'];
const Uuid = Type.String({ format: 'uuid' });
const ThreadParams = Type.Object({ caseId: Uuid, thread: ThreadSchema });
const FileParams = Type.Object({ caseId: Uuid, thread: ThreadSchema, fileId: Uuid });

const JsonPost = Type.Object(
  { body: Type.String({ maxLength: maxMessageLength + 1000 }) },
  { additionalProperties: false },
);

const textFields = new Set(['body', 'purpose']);

function parsePurpose(value: string | undefined): FilePurpose {
  if (value === undefined || value === '' || value === 'attachment') return 'attachment';
  if (value === 'fix-material') return 'fix-material';
  throw new Invalid({ purpose: 'must be attachment or fix-material' });
}

export const threadRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const limits = uploadLimits(deps.config);

  app.get(
    '/api/v1/cases/:caseId/threads/:thread',
    {
      config: { access: threadReaders },
      schema: {
        tags,
        summary: "A case's supplier thread or internal notes, oldest first",
        description:
          'Internal notes: admins, analysts and auditors. Supplier thread: staff, and the users of the ' +
          "case's supplier (who see the messages written while their supplier was assigned). Anyone " +
          'else gets 404.',
        params: ThreadParams,
        response: { 200: ThreadView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const principal = request.principal as Principal;
      const { caseId, thread } = request.params;
      const messages = await listThread(deps, principal, caseId, thread);
      return { items: messages.map((m) => presentThreadMessage(m, principal, deps.config.orgName)) };
    },
  );

  app.post(
    '/api/v1/cases/:caseId/threads/:thread',
    {
      config: { access: threadWriters },
      schema: {
        tags,
        summary: 'Post a message in the supplier thread or the internal notes',
        description:
          'JSON {body}, or multipart/form-data with a "body" part, an optional "purpose" part ' +
          '(attachment or fix-material; fix-material only in the supplier thread) and files in ' +
          `"attachments" (at most ${limits.maxAttachments}). Internal notes: admins and analysts; the supplier ` +
          "thread also the users of the case's supplier. A post needs a body or a file.",
        params: ThreadParams,
        body: {
          content: {
            'application/json': { schema: JsonPost },
            'multipart/form-data': {
              schema: {
                properties: {
                  body: { type: 'string' },
                  purpose: PurposeSchema,
                  attachments: { type: 'array', items: { type: 'string', format: 'binary' } },
                },
              },
            },
          },
        },
        response: { 201: ThreadMessageView, ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const principal = request.principal as Principal;
      const { caseId, thread } = request.params;
      await checkThreadWrite(deps, principal, caseId, thread);
      let files: IncomingFile[] = [];
      try {
        const read = await readJsonOrMultipart(request, deps.blobs, {
          fileField: 'attachments',
          textFields,
          limits,
        });
        const fields = read.fields;
        files = read.files;
        const post = { body: fields.body ?? '', purpose: parsePurpose(fields.purpose), files };
        const messageId = await postThreadMessage(deps, principal, caseId, thread, post);
        const message = await getThreadMessage(deps, principal, caseId, thread, messageId);
        return reply.code(201).send(presentThreadMessage(message, principal, deps.config.orgName));
      } catch (error) {
        await deps.blobs.discard(files);
        throw error;
      }
    },
  );

  app.get(
    '/api/v1/cases/:caseId/threads/:thread/files/:fileId',
    {
      config: { access: threadReaders },
      schema: {
        tags,
        summary: 'Download a file of a thread (same access as reading the thread)',
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
      const { caseId, thread, fileId } = request.params;
      const file = await getThreadFile(deps, request.principal as Principal, caseId, thread, fileId);
      return sendStoredFile(request, reply, {
        sha256: file.sha256,
        size: Number(file.size),
        contentType: 'application/octet-stream',
        downloadName: file.file_name,
        cacheControl: 'private, no-store',
        open: (range) => deps.blobs.open(file.sha256, range),
      });
    },
  );

  app.post(
    '/api/v1/cases/:caseId/supplier-acknowledgement',
    {
      config: { access: supplierAcknowledgers },
      schema: {
        tags,
        summary: 'The supplier acknowledges a case assigned to it (once)',
        description:
          "Only users of the case's supplier; no body, or {}. A second acknowledgement answers 409.",
        params: Type.Object({ caseId: Uuid }),
        response: { 200: CaseView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const principal = request.principal as Principal;
      // A body is optional, so it has no schema (Fastify would demand one); only {} is accepted.
      const body = request.body;
      if (body != null && !(typeof body === 'object' && Object.keys(body).length === 0)) {
        throw new Invalid({}, 'Send no body, or {}');
      }
      await acknowledgeCase(deps, principal, request.params.caseId);
      return presentCase(await getCase(deps, principal, request.params.caseId), principal);
    },
  );
};
