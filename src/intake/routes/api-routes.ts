// The JSON API for researchers' tools: submit a report (JSON, or multipart with attachments) and
// read its status with the capability token.
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.ts';
import { UnsupportedMediaType } from '../../platform/errors.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import { readMultipart } from '../multipart-reader.ts';
import { limits as textLimits } from '../report-input.ts';
import { reporterStatusSentences } from '../reporter-statuses.ts';
import { getReportStatus, type IncomingFile, parseReport, submitReport } from '../service.ts';
import { rateLimitFor, reportTextFields, uploadLimits } from './upload-limits.ts';

const optionalText = (maxLength: number, description: string) =>
  Type.Optional(Type.Union([Type.String({ maxLength: maxLength + 1000, description }), Type.Null()]));

export const ReportBody = Type.Object(
  {
    title: Type.String({ description: 'One line summary', maxLength: textLimits.title + 1000 }),
    description: Type.String({
      description: 'What the flaw is; may be an ASCII-armored OpenPGP message encrypted to the server key',
      maxLength: textLimits.description + 1000,
    }),
    encrypted: Type.Optional(Type.Boolean({ description: 'The description is an OpenPGP message' })),
    productId: optionalText(36, 'Id of one of the listed products'),
    productName: optionalText(textLimits.short, 'Product named in free text'),
    version: optionalText(textLimits.version, 'Firmware or app version'),
    stepsToReproduce: optionalText(textLimits.longText, 'Steps to reproduce'),
    impact: optionalText(textLimits.longText, 'What an attacker can do'),
    cvssVector: optionalText(300, 'CVSS 3.0, 3.1 or 4.0 vector'),
    reporterName: optionalText(textLimits.short, 'Name or handle'),
    reporterEmail: optionalText(textLimits.email, 'Where the acknowledgement goes'),
    credit: Type.Optional(Type.Union([Type.Literal('named'), Type.Literal('anonymous')])),
    creditName: optionalText(textLimits.short, 'Name to credit if not reporterName'),
    preferredDisclosureDate: optionalText(10, 'YYYY-MM-DD'),
    website: Type.Optional(Type.String({ description: 'Honeypot: must be absent or empty' })),
  },
  { additionalProperties: false },
);

const Submitted = Type.Object({
  trackingId: Type.String({ examples: ['VR-2026-0001'] }),
  statusUrl: Type.String({ description: 'Private status page; the link is the only key to it' }),
  statusToken: Type.String({ description: 'The capability token inside statusUrl' }),
});

const Status = Type.Object({
  trackingId: Type.String(),
  status: Type.String(),
  statusText: Type.String(),
  receivedAt: Type.String({ format: 'date-time' }),
  events: Type.Array(Type.Object({ kind: Type.String(), at: Type.String({ format: 'date-time' }) })),
  messages: Type.Array(
    Type.Object({ author: Type.String(), body: Type.String(), at: Type.String({ format: 'date-time' }) }),
  ),
});

export const apiRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const limits = uploadLimits(deps.config);

  app.post(
    '/api/v1/reports',
    {
      config: { access: 'public', rateLimit: rateLimitFor(deps.config) },
      schema: {
        tags: ['reports'],
        summary: 'Submit a vulnerability report',
        description:
          'JSON body, or multipart/form-data with the same fields as text parts and files in "attachments". ' +
          'Answers only after the report and its attachments are committed.',
        body: {
          content: {
            'application/json': { schema: ReportBody },
            // No `type` here: a multipart body is read as a stream by the handler, not parsed up front.
            'multipart/form-data': {
              schema: {
                description: 'The same fields as text parts; files as parts named "attachments"',
                properties: {
                  ...ReportBody.properties,
                  attachments: { type: 'array', items: { type: 'string', format: 'binary' } },
                },
              },
            },
          },
        },
        response: { 201: Submitted, ...errorResponses(400, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      let files: IncomingFile[] = [];
      try {
        let raw: Record<string, unknown>;
        if (request.isMultipart()) {
          const read = await readMultipart(request, deps.blobs, {
            fileField: 'attachments',
            textFields: reportTextFields,
            limits,
          });
          raw = read.fields;
          files = read.files;
        } else if (request.headers['content-type']?.startsWith('application/json')) {
          raw = request.body as Record<string, unknown>;
        } else {
          throw new UnsupportedMediaType('Send the report as application/json or multipart/form-data');
        }
        const input = parseReport(deps, raw);
        const result = await submitReport(deps, input, files, 'api');
        return reply.code(201).header('location', result.statusUrl).send(result);
      } catch (error) {
        await deps.blobs.discard(files);
        throw error;
      }
    },
  );

  app.get(
    '/api/v1/reports/status/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['reports'],
        summary: "A report's status, timeline and conversation, for its reporter",
        // No length limit: a mangled token of any length is simply unknown (404), as on the HTML page.
        params: Type.Object({ token: Type.String() }),
        response: { 200: Status, ...errorResponses(404) },
      },
    },
    async (request) => {
      const view = await getReportStatus(deps, request.params.token);
      return {
        trackingId: view.report.tracking_id,
        status: view.report.status,
        statusText: reporterStatusSentences[view.report.status] ?? view.report.status,
        receivedAt: view.report.created_at.toISOString(),
        events: view.events.map((e) => ({ kind: e.kind, at: e.created_at.toISOString() })),
        messages: view.messages.map((m) => ({
          author: m.author,
          body: m.body,
          at: m.created_at.toISOString(),
        })),
      };
    },
  );
};
