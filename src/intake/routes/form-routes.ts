// The report form for browsers, JavaScript optional.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { Deps } from '../../deps.ts';
import { DomainError, type FieldErrors, Invalid, TooLarge } from '../../platform/errors.ts';
import { page } from '../../site/layout.ts';
import { readMultipart, readUrlencodedFields } from '../multipart-reader.ts';
import { acknowledgementPage } from '../pages/acknowledgement-page.ts';
import { type FormValues, reportFormPage } from '../pages/report-form-page.ts';
import type { IncomingFile } from '../service.ts';
import { parseReport, submitReport } from '../service.ts';
import { listProducts } from '../store.ts';
import { rateLimitFor, reportTextFields, uploadLimits } from './upload-limits.ts';

export const formRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const limits = uploadLimits(deps.config);

  async function showForm(
    reply: FastifyReply,
    status: number,
    values: FormValues,
    errors: FieldErrors,
    formError?: string,
  ) {
    const products = await listProducts(deps.db);
    const body = reportFormPage({ products, values, errors, limits, ...(formError ? { formError } : {}) });
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(page({ title: 'Report a vulnerability', orgName: deps.config.orgName, body }));
  }

  app.get(
    '/report',
    {
      config: { access: 'public' },
      schema: { tags: ['public pages'], summary: 'Report form (works without JavaScript)' },
    },
    async (_request, reply) => showForm(reply, 200, {}, {}),
  );

  app.post(
    '/report',
    {
      config: { access: 'public', rateLimit: rateLimitFor(deps.config), htmlErrors: true },
      schema: {
        tags: ['public pages'],
        summary: 'Submit the report form (multipart/form-data or urlencoded)',
        consumes: ['multipart/form-data', 'application/x-www-form-urlencoded'],
      },
    },
    async (request, reply) => {
      let fields: Record<string, string> = {};
      let files: IncomingFile[] = [];
      try {
        if (request.isMultipart()) {
          ({ files } = await readMultipart(request, deps.blobs, {
            fileField: 'attachments',
            textFields: reportTextFields,
            limits,
            fields,
          }));
        } else {
          fields = readUrlencodedFields(request.body, reportTextFields);
        }
        const input = parseReport(deps, fields);
        const result = await submitReport(deps, input, files, 'form');
        const body = acknowledgementPage({ ...result, emailed: input.reporterEmail !== null });
        return reply
          .code(201)
          .type('text/html; charset=utf-8')
          .send(page({ title: `Report ${result.trackingId} received`, orgName: deps.config.orgName, body }));
      } catch (error) {
        await deps.blobs.discard(files);
        const values = { ...fields, website: '' };
        if (error instanceof Invalid) {
          return showForm(
            reply,
            400,
            values,
            error.fields,
            Object.keys(error.fields).length === 0 ? error.message : undefined,
          );
        }
        if (error instanceof TooLarge)
          return showForm(reply, 413, values, {}, `Your report was not sent. ${error.message}.`);
        if (error instanceof DomainError) return showForm(reply, 400, values, {}, error.message);
        throw error;
      }
    },
  );
};
