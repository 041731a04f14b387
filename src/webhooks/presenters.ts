// API shapes of webhook endpoints and deliveries, with the TypeBox schemas that validate and document
// them. The secret leaves the server once, in the answer to the create request, and never again.
import { Type } from '@fastify/type-provider-typebox';
import type { DeliveryRow, EndpointRow } from './store.ts';

const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const WebhookParams = Type.Object({ webhookId: Type.String({ maxLength: 64 }) });

export const DeliveryStateSchema = Type.Union([
  Type.Literal('pending'),
  Type.Literal('delivered'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
]);

export const WebhookView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  description: Type.String(),
  events: Type.Array(Type.String(), { examples: [['case.created', 'case.state_changed']] }),
  active: Type.Boolean(),
  createdBy: Type.String({ description: 'user:<id> or token:<id>' }),
  createdAt: DateTime,
  updatedAt: DateTime,
  disabledAt: Nullable(DateTime),
});

export const CreatedWebhookView = Type.Object({
  ...WebhookView.properties,
  secret: Type.String({
    description: 'Signing secret (whsec_…). Shown only in this answer: store it in the receiver now.',
  }),
});

export const DeliveryView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  eventId: Type.String(),
  eventType: Type.String(),
  state: DeliveryStateSchema,
  attempts: Type.Integer(),
  lastStatusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  lastResponseExcerpt: Nullable(Type.String({ description: 'First 256 bytes of the last answer' })),
  payload: Type.Unknown({ description: 'The JSON body sent' }),
  createdAt: DateTime,
  lastAttemptAt: Nullable(DateTime),
  deliveredAt: Nullable(DateTime),
});

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export const presentWebhook = (row: EndpointRow) => ({
  id: row.id,
  url: row.url,
  description: row.description,
  events: row.event_types,
  active: row.active,
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  disabledAt: iso(row.disabled_at),
});

export const presentDelivery = (row: DeliveryRow) => ({
  id: row.id,
  eventId: row.event_id,
  eventType: row.event_type,
  state: row.state,
  attempts: row.attempts,
  lastStatusCode: row.last_status_code,
  lastError: row.last_error,
  lastResponseExcerpt: row.last_response_excerpt,
  payload: row.payload,
  createdAt: row.created_at.toISOString(),
  lastAttemptAt: iso(row.last_attempt_at),
  deliveredAt: iso(row.delivered_at),
});
