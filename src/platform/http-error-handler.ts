// Maps every error to one stable answer: JSON `{ error, message, fields? }` for the API, a short
// HTML page for browsers on public pages. Stack traces never leave the server.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { page } from '../site/layout.ts';
import {
  Conflict,
  DomainError,
  Forbidden,
  Invalid,
  NotFound,
  Throttled,
  TooLarge,
  Unauthenticated,
  UnsupportedMediaType,
} from './errors.ts';
import { html } from './html.ts';

type ErrorAnswer = { status: number; error: string; message: string; fields?: Record<string, string> };

const fastifyCodes: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_BODY',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
};

type AjvError = { instancePath: string; keyword: string; message?: string; params: Record<string, unknown> };

function fieldsOfValidation(errors: AjvError[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const e of errors) {
    const base = e.instancePath.replace(/^\//, '').replaceAll('/', '.');
    if (e.keyword === 'required') fields[String(e.params.missingProperty)] = 'is required';
    else if (e.keyword === 'additionalProperties') {
      fields[String(e.params.additionalProperty)] = 'is not a known field';
    } else if (base && !fields[base]) fields[base] = e.message ?? 'is not valid';
    else if (!base) fields._body = e.message ?? 'is not valid';
  }
  return fields;
}

export function describeError(error: unknown): ErrorAnswer {
  if (error instanceof Invalid) {
    return { status: 400, error: error.code, message: error.message, fields: error.fields };
  }
  if (error instanceof Unauthenticated) return { status: 401, error: error.code, message: error.message };
  if (error instanceof Forbidden) return { status: 403, error: error.code, message: error.message };
  if (error instanceof Throttled) return { status: 429, error: error.code, message: error.message };
  if (error instanceof NotFound) return { status: 404, error: error.code, message: error.message };
  if (error instanceof Conflict) return { status: 409, error: error.code, message: error.message };
  if (error instanceof TooLarge) return { status: 413, error: error.code, message: error.message };
  if (error instanceof UnsupportedMediaType)
    return { status: 415, error: error.code, message: error.message };
  if (error instanceof DomainError) return { status: 400, error: error.code, message: error.message };
  const fastifyError = error as FastifyError & { validation?: AjvError[] };
  if (fastifyError.validation) {
    return {
      status: 400,
      error: 'VALIDATION_FAILED',
      message: 'Some fields are not valid',
      fields: fieldsOfValidation(fastifyError.validation),
    };
  }
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = fastifyCodes[fastifyError.code] ?? (status === 429 ? 'RATE_LIMITED' : 'BAD_REQUEST');
    return { status, error: code, message: fastifyError.message };
  }
  return { status: 500, error: 'INTERNAL', message: 'Something went wrong on our side; it has been logged.' };
}

const wantsHtml = (request: FastifyRequest) =>
  (request.routeOptions.config as { htmlErrors?: boolean } | undefined)?.htmlErrors === true ||
  (!request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html'));

function sendAnswer(reply: FastifyReply, orgName: string, asHtml: boolean, described: ErrorAnswer) {
  if (!asHtml) {
    const { status, ...body } = described;
    return reply.code(status).type('application/json; charset=utf-8').send(body);
  }
  const fieldList = Object.entries(described.fields ?? {});
  const body = html`<h1>${described.status === 404 ? 'Not found' : 'That did not work'}</h1>
<p>${described.message}</p>
${fieldList.length > 0 ? html`<ul>${fieldList.map(([f, m]) => html`<li>${f}: ${m}</li>`)}</ul>` : ''}
<p><a href="/">Back to the start</a></p>`;
  return reply
    .code(described.status)
    .type('text/html; charset=utf-8')
    .send(page({ title: `Error ${described.status}`, orgName, body }));
}

/**
 * For Fastify's `frameworkErrors`: the router refuses some URLs before any route runs (a path
 * parameter over `maxParamLength`, bad percent-encoding). Answer those like any other error, so a
 * mangled status link gets a 404 page like an unknown one instead of Fastify's bare JSON.
 */
export const frameworkErrorHandler =
  (orgName: string, headers: Record<string, string>) =>
  (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const described: ErrorAnswer =
      error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? { status: 404, error: 'NOT_FOUND', message: 'Nothing at this address.' }
        : { status: 400, error: 'BAD_REQUEST', message: 'This address is not valid.' };
    request.log.info({ code: error.code }, 'request refused by the router');
    const api = request.url.startsWith('/api/');
    // Hooks do not run for these early answers, so the security headers are set here.
    reply.headers(headers);
    return sendAnswer(
      reply,
      orgName,
      !api && (request.headers.accept ?? '').includes('text/html'),
      described,
    );
  };

export function installErrorHandlers(app: FastifyInstance, orgName: string) {
  const answer = (request: FastifyRequest, reply: FastifyReply, described: ErrorAnswer) =>
    sendAnswer(reply, orgName, wantsHtml(request), described);

  app.setErrorHandler((error, request, reply) => {
    const described = describeError(error);
    if (error instanceof Throttled) reply.header('retry-after', String(error.retryAfterSeconds));
    if (described.status >= 500) request.log.error({ err: error }, 'request failed');
    else
      request.log.info(
        { err: { message: (error as Error).message }, status: described.status },
        'request refused',
      );
    return answer(request, reply, described);
  });

  app.setNotFoundHandler((request, reply) =>
    answer(request, reply, {
      status: 404,
      error: 'NOT_FOUND',
      message: `Nothing at ${request.method} ${request.url.split('?')[0]}`,
    }),
  );
}
