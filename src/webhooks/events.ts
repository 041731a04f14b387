// What other features call to announce an event to webhook endpoints: in the same transaction as
// the change, one delivery row per subscribed endpoint and one WEBHOOK_DELIVER job per delivery.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { enqueue } from '../queue/queue.ts';
import * as store from './store.ts';

export const WEBHOOK_DELIVER = 'WEBHOOK_DELIVER';

/** Event types an endpoint may subscribe to ('*' subscribes to all, present and future). */
export const webhookEventTypes = ['case.created', 'case.state_changed', 'case.overdue'] as const;

/** 'ping' is sent only by "send a test event", to the one endpoint asked for. */
export type WebhookEventType = (typeof webhookEventTypes)[number] | 'ping';

export type WebhookEvent = {
  type: WebhookEventType;
  /** Unique per event, stable: receivers use it (as `webhook-id`) to drop repeated deliveries. */
  id: string;
  occurredAt: Date;
  /** Small and free of secrets: it is stored with each delivery and sent as it is. */
  data: Record<string, unknown>;
};

/** The JSON body every endpoint receives. */
export type WebhookPayload = { id: string; type: string; occurredAt: string; data: Record<string, unknown> };

/**
 * Attempts per delivery. With the queue's backoff (2^n seconds, at most an hour) the last attempt
 * comes about five hours after the first.
 */
export const webhookMaxAttempts = 16;

export const webhookPayload = (event: WebhookEvent): WebhookPayload => ({
  id: event.id,
  type: event.type,
  occurredAt: event.occurredAt.toISOString(),
  data: event.data,
});

/**
 * Queues `event` for every active endpoint subscribed to its type; returns how many. Call it with
 * the transaction of the change (so neither exists without the other), then wake the workers after
 * the commit. Emitting the same event id twice queues nothing new.
 *
 * @example await emitWebhookEvent(trx, { type: 'case.created', id: `case.created:${c.id}`, occurredAt: now, data: { caseId: c.id } });
 */
export async function emitWebhookEvent(
  db: Kysely<DB> | Transaction<DB>,
  event: WebhookEvent,
): Promise<number> {
  const endpointIds = await store.subscribedEndpointIds(db, event.type);
  let queued = 0;
  for (const endpointId of endpointIds) {
    if (await queueDelivery(db, endpointId, event)) queued++;
  }
  return queued;
}

/** One delivery of `event` to one endpoint, idempotent on endpoint × event id; its id, or null if it existed. */
export async function queueDelivery(
  db: Kysely<DB> | Transaction<DB>,
  endpointId: string,
  event: WebhookEvent,
): Promise<string | null> {
  const deliveryId = await store.insertDelivery(db, {
    endpointId,
    eventId: event.id,
    eventType: event.type,
    payload: webhookPayload(event),
    createdAt: event.occurredAt,
  });
  if (deliveryId === null) return null;
  await enqueue(db, {
    type: WEBHOOK_DELIVER,
    payload: { deliveryId },
    idempotencyKey: `webhook:${deliveryId}`,
    runAt: event.occurredAt,
    maxAttempts: webhookMaxAttempts,
  });
  return deliveryId;
}
