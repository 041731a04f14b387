// Every query of the webhooks feature: endpoints, their deliveries, and what the delivery job reads.
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type {
  DB,
  WebhookDeliveriesTable,
  WebhookDeliveryStateColumn,
  WebhookEndpointsTable,
} from '../db/schema.ts';
import type { Page } from '../platform/paging.ts';

type Db = Kysely<DB> | Transaction<DB>;

export type EndpointRow = Selectable<WebhookEndpointsTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;

/** Active endpoints subscribed to `type` or to every type ('*'). */
export async function subscribedEndpointIds(db: Db, type: string): Promise<string[]> {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .select('id')
    .where('active', '=', true)
    .where((eb) =>
      eb.or([
        eb(eb.val(type), '=', eb.fn.any('event_types')),
        eb(eb.val('*'), '=', eb.fn.any('event_types')),
      ]),
    )
    .orderBy('created_at')
    .execute();
  return rows.map((row) => row.id);
}

export async function insertDelivery(
  db: Db,
  delivery: { endpointId: string; eventId: string; eventType: string; payload: unknown; createdAt: Date },
): Promise<string | null> {
  const row = await db
    .insertInto('webhook_deliveries')
    .values({
      endpoint_id: delivery.endpointId,
      event_id: delivery.eventId,
      event_type: delivery.eventType,
      payload: JSON.stringify(delivery.payload),
      created_at: delivery.createdAt,
    })
    .onConflict((oc) => oc.columns(['endpoint_id', 'event_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** A delivery with the endpoint's current URL, secret and state (a changed URL applies to what is pending). */
export async function findDeliveryTarget(db: Db, deliveryId: string) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .select(['d.id', 'd.event_id', 'd.payload', 'd.state', 'e.url', 'e.secret', 'e.active'])
    .where('d.id', '=', deliveryId)
    .executeTakeFirst();
}

export async function recordAttempt(
  db: Db,
  deliveryId: string,
  attempt: {
    state: WebhookDeliveryStateColumn;
    attempts: number;
    statusCode: number | null;
    error: string | null;
    excerpt: string | null;
    at: Date;
  },
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({
      state: attempt.state,
      attempts: attempt.attempts,
      last_status_code: attempt.statusCode,
      last_error: attempt.error,
      last_response_excerpt: attempt.excerpt,
      last_attempt_at: attempt.at,
      ...(attempt.state === 'delivered' ? { delivered_at: attempt.at } : {}),
    })
    .where('id', '=', deliveryId)
    .execute();
}

export async function cancelDelivery(db: Db, deliveryId: string, reason: string): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ state: 'cancelled', last_error: reason })
    .where('id', '=', deliveryId)
    .where('state', '=', 'pending')
    .execute();
}

export async function insertEndpoint(
  db: Db,
  endpoint: {
    url: string;
    description: string;
    eventTypes: string[];
    secret: string;
    createdBy: string;
    at: Date;
  },
): Promise<EndpointRow> {
  return db
    .insertInto('webhook_endpoints')
    .values({
      url: endpoint.url,
      description: endpoint.description,
      event_types: endpoint.eventTypes,
      secret: endpoint.secret,
      created_by: endpoint.createdBy,
      created_at: endpoint.at,
      updated_at: endpoint.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findEndpoint(db: Db, id: string): Promise<EndpointRow | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listEndpoints(db: Db): Promise<EndpointRow[]> {
  return db.selectFrom('webhook_endpoints').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function updateEndpoint(
  db: Db,
  id: string,
  changes: {
    url?: string;
    description?: string;
    eventTypes?: string[];
    active?: boolean;
    at: Date;
  },
): Promise<EndpointRow> {
  return db
    .updateTable('webhook_endpoints')
    .set({
      ...(changes.url !== undefined ? { url: changes.url } : {}),
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.eventTypes !== undefined ? { event_types: changes.eventTypes } : {}),
      ...(changes.active !== undefined
        ? { active: changes.active, disabled_at: changes.active ? null : changes.at }
        : {}),
      updated_at: changes.at,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Newest first. */
export async function listDeliveries(
  db: Db,
  endpointId: string,
  filter: { state?: WebhookDeliveryStateColumn | undefined },
  page: Page,
): Promise<{ rows: DeliveryRow[]; total: number }> {
  let query = db.selectFrom('webhook_deliveries').where('endpoint_id', '=', endpointId);
  if (filter.state !== undefined) query = query.where('state', '=', filter.state);
  const [rows, count] = await Promise.all([
    query
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
