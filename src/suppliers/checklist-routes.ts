// HTTP API of a supplier's contract-safeguards checklist: read it with its summary and history,
// change an item, upload evidence files (multipart) and download them.
import fs from 'node:fs';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Deps } from '../deps.ts';
import { readMultipart, type UploadLimits } from '../intake/multipart-reader.ts';
import type { IncomingFile } from '../intake/service.ts';
import { Invalid, UnsupportedMediaType } from '../platform/errors.ts';
import { errorResponses } from '../platform/http-errors.ts';
import { contentDisposition } from '../platform/http-stored-file.ts';
import {
  attachEvidence,
  checkEvidenceUpload,
  getChecklist,
  getEvidenceFile,
  getSafeguardHistory,
  maxNoteLength,
  updateSafeguard,
} from './checklist.ts';
import { evidenceUploaders, managers, principalOf, readers } from './policy.ts';
import {
  ChecklistView,
  HistoryView,
  presentChecklist,
  presentHistory,
  StatusSchema,
  SupplierParams,
} from './presenters.ts';

const ItemParams = Type.Object({
  supplierId: Type.String({ maxLength: 64 }),
  itemKey: Type.String({ maxLength: 64 }),
});

const EvidenceParams = Type.Object({
  supplierId: Type.String({ maxLength: 64 }),
  itemKey: Type.String({ maxLength: 64 }),
  sha256: Type.String({ maxLength: 64 }),
});

const optionalNullable = <T extends Parameters<typeof Type.Union>[0][number]>(
  schema: T,
  description: string,
) => Type.Optional(Type.Union([schema, Type.Null()], { description }));

const SafeguardChange = Type.Object(
  {
    status: StatusSchema,
    termsDays: optionalNullable(
      Type.Integer({ minimum: 0, maximum: 3650 }),
      'The agreed number of days, for items measured in days (required once agreed or verified)',
    ),
    date: optionalNullable(
      Type.String({ maxLength: 10 }),
      'YYYY-MM-DD: when it was requested, agreed or verified (required once agreed or verified)',
    ),
    evidenceUrl: optionalNullable(
      Type.String({ maxLength: 2000 }),
      'A link to the evidence, e.g. the signed contract in your document store',
    ),
    note: Type.Optional(Type.String({ maxLength: maxNoteLength })),
    removeEvidenceFile: Type.Optional(
      Type.Boolean({ description: 'Detach the current evidence file; it stays in the history' }),
    ),
  },
  {
    additionalProperties: false,
    description: 'Fields left out keep their value; null clears one. Verified needs evidence.',
  },
);

/** Types a browser may display; everything else is sent as bytes. Always as a download. */
const displayableTypes = new Set(['application/pdf', 'image/png', 'image/jpeg', 'text/plain']);

export const checklistRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const limits: UploadLimits = {
    maxAttachments: 1,
    maxAttachmentBytes: deps.config.maxAttachmentBytes,
    maxTotalAttachmentBytes: deps.config.maxAttachmentBytes,
    maxFieldBytes: 1024,
  };

  app.get(
    '/api/v1/suppliers/:supplierId/safeguards',
    {
      config: { access: readers },
      schema: {
        tags: ['suppliers'],
        summary: "The supplier's contract-safeguards checklist, with what is missing",
        params: SupplierParams,
        response: { 200: ChecklistView, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) =>
      presentChecklist(await getChecklist(deps, principalOf(request), request.params.supplierId)),
  );

  app.get(
    '/api/v1/suppliers/:supplierId/safeguards/history',
    {
      config: { access: readers },
      schema: {
        tags: ['suppliers'],
        summary: 'Every change to the checklist, oldest first: who, when, from → to',
        params: SupplierParams,
        querystring: Type.Object(
          { item: Type.Optional(Type.String({ maxLength: 64, description: 'Only this item' })) },
          { additionalProperties: false },
        ),
        response: { 200: HistoryView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      presentHistory(
        await getSafeguardHistory(
          deps,
          principalOf(request),
          request.params.supplierId,
          request.query.item ?? null,
        ),
      ),
  );

  app.put(
    '/api/v1/suppliers/:supplierId/safeguards/:itemKey',
    {
      config: { access: managers },
      schema: {
        tags: ['suppliers'],
        summary: "Set a safeguard's status, agreed terms, date, evidence link and note",
        params: ItemParams,
        body: SafeguardChange,
        response: { 200: ChecklistView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      presentChecklist(
        await updateSafeguard(
          deps,
          principalOf(request),
          request.params.supplierId,
          request.params.itemKey,
          request.body,
        ),
      ),
  );

  app.post(
    '/api/v1/suppliers/:supplierId/safeguards/:itemKey/evidence',
    {
      config: { access: evidenceUploaders },
      schema: {
        tags: ['suppliers'],
        summary: 'Upload an evidence file for a safeguard (multipart, one part named "file")',
        description:
          'Becomes the current evidence of the item; the status does not change. A supplier user may upload ' +
          `for its own supplier. At most ${limits.maxAttachmentBytes} bytes.`,
        params: ItemParams,
        body: {
          content: {
            'multipart/form-data': {
              schema: { properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
            },
          },
        },
        response: { 201: ChecklistView, ...errorResponses(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { supplierId, itemKey } = request.params;
      await checkEvidenceUpload(deps, principal, supplierId, itemKey);
      if (!request.isMultipart()) throw new UnsupportedMediaType('Send the file as multipart/form-data');
      let files: IncomingFile[] = [];
      try {
        ({ files } = await readMultipart(request, deps.blobs, {
          fileField: 'file',
          textFields: new Set(),
          limits,
        }));
        const [file] = files;
        if (!file) throw new Invalid({ file: 'is required: send the evidence as a part named "file"' });
        const checklist = await attachEvidence(deps, principal, supplierId, itemKey, file);
        return reply.code(201).send(presentChecklist(checklist));
      } catch (error) {
        await deps.blobs.discard(files);
        throw error;
      }
    },
  );

  app.get(
    '/api/v1/suppliers/:supplierId/safeguards/:itemKey/evidence/:sha256',
    {
      config: { access: readers },
      schema: {
        tags: ['suppliers'],
        summary: 'Download an evidence file ever attached to this safeguard',
        params: EvidenceParams,
        response: {
          200: {
            description: 'The file, as a download',
            content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
          },
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const { supplierId, itemKey, sha256 } = request.params;
      const file = await getEvidenceFile(deps, principalOf(request), supplierId, itemKey, sha256);
      return (
        reply
          .type(displayableTypes.has(file.declared_type) ? file.declared_type : 'application/octet-stream')
          .header('content-disposition', contentDisposition(file.file_name))
          .header('content-length', String(file.size))
          .header('cache-control', 'private, no-cache')
          // A stream is sent as is; the binary response schema above only documents it.
          .send(fs.createReadStream(deps.blobs.pathOf(file.sha256)) as never)
      );
    },
  );
};
