// HTTP API of webhooks (admins only): endpoints, their deliveries, and a test event.
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Principal } from '../auth/access.ts';
import type { Deps } from '../deps.ts';
import { errorResponses } from '../platform/http-errors.ts';
import { LimitQuery, PageOf, page } from '../platform/paging.ts';
import { webhookEventTypes } from './events.ts';
import {
  CreatedWebhookView,
  DeliveryStateSchema,
  DeliveryView,
  presentDelivery,
  presentWebhook,
  WebhookParams,
  WebhookView,
} from './presenters.ts';
import {
  createWebhook,
  disableWebhook,
  listWebhookDeliveries,
  listWebhooks,
  sendTestEvent,
  updateWebhook,
} from './service.ts';

const admins = { roles: ['admin'] } as const;
const tags = ['webhooks'];

const principalOf = (request: { principal: Principal | null }): Principal => request.principal as Principal;

const Url = Type.String({
  maxLength: 2000,
  description: 'https URL the events are POSTed to (http only to localhost / 127.0.0.0/8 / [::1])',
});
const Events = Type.Array(Type.String({ maxLength: 64 }), {
  maxItems: 20,
  description: `Event types to receive: ${webhookEventTypes.join(', ')}, or '*' for all`,
});
const Description = Type.String({ maxLength: 500 });

const NewWebhook = Type.Object(
  { url: Url, events: Events, description: Type.Optional(Description) },
  { additionalProperties: false },
);

const WebhookChanges = Type.Object(
  {
    url: Type.Optional(Url),
    events: Type.Optional(Events),
    description: Type.Optional(Description),
    active: Type.Optional(Type.Boolean({ description: 'false stops deliveries, pending ones included' })),
  },
  { additionalProperties: false, description: 'Only the fields sent change' },
);

const DeliveriesQuery = Type.Object(
  {
    state: Type.Optional(DeliveryStateSchema),
    limit: LimitQuery('Deliveries'),
    offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$', description: 'Deliveries to skip' })),
  },
  { additionalProperties: false },
);

export const webhookRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/webhooks',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Webhook endpoints (secrets are never shown again after creation)',
        response: { 200: Type.Object({ webhooks: Type.Array(WebhookView) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ webhooks: (await listWebhooks(deps, principalOf(request))).map(presentWebhook) }),
  );

  app.post(
    '/api/v1/webhooks',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Register a webhook endpoint; the answer holds its signing secret, shown this once',
        body: NewWebhook,
        response: { 201: CreatedWebhookView, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { endpoint, secret } = await createWebhook(deps, principalOf(request), request.body, request.ip);
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ ...presentWebhook(endpoint), secret });
    },
  );

  app.patch(
    '/api/v1/webhooks/:webhookId',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: "Change a webhook's URL, events, description, or whether it is active",
        params: WebhookParams,
        body: WebhookChanges,
        response: { 200: WebhookView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      presentWebhook(
        await updateWebhook(deps, principalOf(request), request.params.webhookId, request.body, request.ip),
      ),
  );

  app.delete(
    '/api/v1/webhooks/:webhookId',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Disable a webhook: no more deliveries, pending ones cancelled; its history stays',
        params: WebhookParams,
        response: { 200: WebhookView, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) =>
      presentWebhook(await disableWebhook(deps, principalOf(request), request.params.webhookId, request.ip)),
  );

  app.get(
    '/api/v1/webhooks/:webhookId/deliveries',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Deliveries to a webhook, newest first, with their state and last attempt',
        params: WebhookParams,
        querystring: DeliveriesQuery,
        response: { 200: PageOf(DeliveryView), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const paging = page(request.query);
      const { rows, total } = await listWebhookDeliveries(
        deps,
        principalOf(request),
        request.params.webhookId,
        { state: request.query.state },
        paging,
      );
      return { items: rows.map(presentDelivery), total, ...paging };
    },
  );

  app.post(
    '/api/v1/webhooks/:webhookId/test',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: "Send a 'ping' event to this webhook through the queue, signed like any event",
        params: WebhookParams,
        response: {
          202: Type.Object({ deliveryId: Type.String({ format: 'uuid' }), eventId: Type.String() }),
          ...errorResponses(401, 403, 404, 409),
        },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await sendTestEvent(deps, principalOf(request), request.params.webhookId)),
  );
};
