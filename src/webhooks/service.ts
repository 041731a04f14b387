// Managing webhook endpoints (admins only): register one (its secret is shown once), change it,
// disable it, read its deliveries, and send it a test event. Every change is audited in its transaction.
import { type Principal, requireRole } from '../auth/access.ts';
import type { WebhookDeliveryStateColumn } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { actorId, appendAudit } from '../platform/audit.ts';
import { Conflict, Invalid, NotFound } from '../platform/errors.ts';
import type { Page } from '../platform/paging.ts';
import { queueDelivery, webhookEventTypes } from './events.ts';
import { newWebhookSecret } from './signature.ts';
import * as store from './store.ts';

export type WebhookDeps = Pick<Deps, 'db' | 'clock' | 'random' | 'wakeWorkers'>;

export type WebhookInput = { url: string; events: string[]; description?: string | undefined };
export type WebhookChanges = Partial<WebhookInput & { active: boolean }>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const loopbackHosts = new Set(['localhost', '[::1]']);

/** https only, except to this machine (tests, a bridge running beside the server). */
export function webhookUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL such as https://hooks.example.com/openpsirt';
  }
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.protocol === 'https:') return null;
  const loopback = loopbackHosts.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (url.protocol === 'http:' && loopback) return null;
  return 'must use https (plain http is allowed only to localhost, 127.0.0.0/8 or [::1])';
}

function eventsProblem(events: string[]): string | null {
  if (events.length === 0) return "must name at least one event type, or '*' for all";
  const known = new Set<string>([...webhookEventTypes, '*']);
  const unknown = events.filter((e) => !known.has(e));
  if (unknown.length > 0) return `unknown event type ${unknown.join(', ')}; known: ${[...known].join(', ')}`;
  return null;
}

function parse(input: WebhookChanges): WebhookChanges {
  const problems: Record<string, string> = {};
  const parsed: WebhookChanges = {};
  if (input.url !== undefined) {
    const url = input.url.trim();
    const problem = webhookUrlProblem(url);
    if (problem) problems.url = problem;
    else parsed.url = url;
  }
  if (input.events !== undefined) {
    const problem = eventsProblem(input.events);
    if (problem) problems.events = problem;
    else parsed.events = [...new Set(input.events)];
  }
  if (input.description !== undefined) parsed.description = input.description.trim();
  if (input.active !== undefined) parsed.active = input.active;
  if (Object.keys(problems).length > 0) throw new Invalid(problems);
  return parsed;
}

const notFound = () => new NotFound('No such webhook.');

async function getEndpoint(deps: WebhookDeps, id: string): Promise<store.EndpointRow> {
  if (!uuidPattern.test(id)) throw notFound();
  const endpoint = await store.findEndpoint(deps.db, id);
  if (!endpoint) throw notFound();
  return endpoint;
}

export async function listWebhooks(deps: WebhookDeps, principal: Principal): Promise<store.EndpointRow[]> {
  requireRole(principal, 'admin');
  return store.listEndpoints(deps.db);
}

/** Registers an endpoint; the returned secret is never shown again. */
export async function createWebhook(
  deps: WebhookDeps,
  principal: Principal,
  input: WebhookInput,
  ip: string | null = null,
): Promise<{ endpoint: store.EndpointRow; secret: string }> {
  requireRole(principal, 'admin');
  const parsed = parse(input);
  const secret = newWebhookSecret(deps.random(32));
  const at = deps.clock();
  const endpoint = await deps.db.transaction().execute(async (trx) => {
    const row = await store.insertEndpoint(trx, {
      url: parsed.url as string,
      description: parsed.description ?? '',
      eventTypes: parsed.events as string[],
      secret,
      createdBy: actorId(principal),
      at,
    });
    await appendAudit(trx, {
      actor: principal,
      action: 'WEBHOOK_CREATED',
      subjectType: 'webhook',
      subjectId: row.id,
      detail: { url: row.url, events: row.event_types, description: row.description },
      ip,
      at,
    });
    return row;
  });
  return { endpoint, secret };
}

export async function updateWebhook(
  deps: WebhookDeps,
  principal: Principal,
  id: string,
  input: WebhookChanges,
  ip: string | null = null,
): Promise<store.EndpointRow> {
  requireRole(principal, 'admin');
  const parsed = parse(input);
  const current = await getEndpoint(deps, id);
  const before: Record<string, unknown> = {
    url: current.url,
    events: current.event_types,
    description: current.description,
    active: current.active,
  };
  const changes = Object.fromEntries(
    Object.entries(parsed)
      .filter(([field, to]) => JSON.stringify(before[field]) !== JSON.stringify(to))
      .map(([field, to]) => [field, { from: before[field], to }]),
  );
  if (Object.keys(changes).length === 0) return current;
  const at = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const row = await store.updateEndpoint(trx, id, {
      ...(parsed.url !== undefined ? { url: parsed.url } : {}),
      ...(parsed.description !== undefined ? { description: parsed.description } : {}),
      ...(parsed.events !== undefined ? { eventTypes: parsed.events } : {}),
      ...(parsed.active !== undefined ? { active: parsed.active } : {}),
      at,
    });
    const action =
      parsed.active === false && Object.keys(changes).length === 1 ? 'WEBHOOK_DISABLED' : 'WEBHOOK_CHANGED';
    await appendAudit(trx, {
      actor: principal,
      action,
      subjectType: 'webhook',
      subjectId: id,
      detail: changes,
      ip,
      at,
    });
    return row;
  });
}

/** Stops every delivery to the endpoint, pending ones included; its history stays. */
export async function disableWebhook(
  deps: WebhookDeps,
  principal: Principal,
  id: string,
  ip: string | null = null,
): Promise<store.EndpointRow> {
  return updateWebhook(deps, principal, id, { active: false }, ip);
}

export async function listWebhookDeliveries(
  deps: WebhookDeps,
  principal: Principal,
  id: string,
  filter: { state?: WebhookDeliveryStateColumn | undefined },
  page: Page,
) {
  requireRole(principal, 'admin');
  await getEndpoint(deps, id);
  return store.listDeliveries(deps.db, id, filter, page);
}

/** Queues a 'ping' event to this endpoint only, through the same queue and signing as real events. */
export async function sendTestEvent(
  deps: WebhookDeps,
  principal: Principal,
  id: string,
): Promise<{ deliveryId: string; eventId: string }> {
  requireRole(principal, 'admin');
  const endpoint = await getEndpoint(deps, id);
  if (!endpoint.active)
    throw new Conflict('This webhook is disabled; activate it before sending a test event.');
  const event = {
    type: 'ping' as const,
    id: `ping_${deps.random(16).toString('hex')}`,
    occurredAt: deps.clock(),
    data: { webhookId: id, message: 'Test event from OpenPSIRT' },
  };
  const deliveryId = await deps.db.transaction().execute((trx) => queueDelivery(trx, id, event));
  deps.wakeWorkers();
  return { deliveryId: deliveryId as string, eventId: event.id };
}
