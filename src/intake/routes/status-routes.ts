// The reporter's private status page and reply box, reached only through the capability link.
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { Deps } from '../../deps.ts';
import { DomainError, type FieldErrors, Invalid, NotFound, TooLarge } from '../../platform/errors.ts';
import { page } from '../../site/layout.ts';
import { creditFields, parseCreditChoice } from '../credit-choice.ts';
import { readMultipart, readUrlencodedFields } from '../multipart-reader.ts';
import { statusPage } from '../pages/status-page.ts';
import { addReporterReply, changeCredit, getReportStatus, type IncomingFile } from '../service.ts';
import { rateLimitFor, uploadLimits } from './upload-limits.ts';

// No length limit here: a mangled link of any shape gets the same 404 as an unknown one.
const Params = Type.Object({ token: Type.String() });
const MAX_REPLY = 50_000;

export const statusRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const limits = uploadLimits(deps.config);

  async function show(
    reply: FastifyReply,
    token: string,
    extra: {
      status?: number;
      replyErrors?: FieldErrors;
      replyBody?: string;
      creditErrors?: FieldErrors;
      creditValues?: Record<string, string>;
      notice?: string;
    } = {},
  ) {
    const view = await getReportStatus(deps, token);
    const body = statusPage({ ...view, token, maxAttachments: limits.maxAttachments, ...extra });
    return reply
      .code(extra.status ?? 200)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(page({ title: `Report ${view.report.tracking_id}`, orgName: deps.config.orgName, body }));
  }

  app.get(
    '/status/:token',
    {
      config: { access: 'public', htmlErrors: true },
      schema: { tags: ['public pages'], summary: 'Private status page of a report', params: Params },
    },
    async (request, reply) => show(reply, request.params.token),
  );

  app.post(
    '/status/:token/replies',
    {
      config: { access: 'public', rateLimit: rateLimitFor(deps.config), htmlErrors: true },
      schema: {
        tags: ['public pages'],
        summary: 'Reply from the reporter, with optional attachments',
        consumes: ['multipart/form-data', 'application/x-www-form-urlencoded'],
        params: Params,
      },
    },
    async (request, reply) => {
      const { token } = request.params;
      let fields: Record<string, string> = {};
      let files: IncomingFile[] = [];
      try {
        if (request.isMultipart()) {
          ({ files } = await readMultipart(request, deps.blobs, {
            fileField: 'attachments',
            textFields: new Set(['body']),
            limits,
            fields,
          }));
        } else {
          fields = readUrlencodedFields(request.body, new Set(['body']));
        }
        const body = (fields.body ?? '').trim();
        if (body === '' && files.length === 0)
          throw new Invalid({ body: 'is empty: write a message or attach a file' });
        if (body.length > MAX_REPLY) throw new Invalid({ body: `must be at most ${MAX_REPLY} characters` });
        await addReporterReply(deps, token, body, files);
        return show(reply, token, { status: 201, notice: 'Your reply was sent to the security team.' });
      } catch (error) {
        await deps.blobs.discard(files);
        if (error instanceof NotFound) throw error;
        const replyBody = fields.body ?? '';
        if (error instanceof Invalid)
          return show(reply, token, { status: 400, replyErrors: error.fields, replyBody });
        if (error instanceof TooLarge) {
          return show(reply, token, { status: 413, replyErrors: { attachments: error.message }, replyBody });
        }
        if (error instanceof DomainError)
          return show(reply, token, { status: 400, replyErrors: { body: error.message }, replyBody });
        throw error;
      }
    },
  );

  app.post(
    '/status/:token/credit',
    {
      config: { access: 'public', rateLimit: rateLimitFor(deps.config), htmlErrors: true },
      schema: {
        tags: ['public pages'],
        summary: 'The reporter chooses to be credited by name (with consent) or to stay anonymous',
        consumes: ['application/x-www-form-urlencoded'],
        params: Params,
      },
    },
    async (request, reply) => {
      const { token } = request.params;
      let fields: Record<string, string> = {};
      try {
        fields = readUrlencodedFields(request.body, creditFields);
        const changed = await changeCredit(deps, token, parseCreditChoice(fields));
        const notice = changed ? 'Your credit choice was saved.' : 'Your credit choice is unchanged.';
        return show(reply, token, { notice });
      } catch (error) {
        if (error instanceof Invalid)
          return show(reply, token, { status: 400, creditErrors: error.fields, creditValues: fields });
        throw error;
      }
    },
  );
};
