// The WEBHOOK_DELIVER job: one signed POST of one delivery. A 2xx answer delivers it; any other
// answer, a redirect (never followed) or a network error records the attempt and throws, so the
// queue retries with its backoff until the job's last attempt, which marks the delivery failed.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Clock } from '../platform/clock.ts';
import type { JobHandler } from '../queue/workers.ts';
import { signWebhook } from './signature.ts';
import * as store from './store.ts';

export type DeliveryDeps = { db: Kysely<DB>; clock: Clock; timeoutMs?: number };

export const defaultTimeoutMs = 10_000;

/** Only this much of a receiver's answer is kept, to help whoever debugs the endpoint. */
const excerptBytes = 256;

type Outcome = {
  delivered: boolean;
  statusCode: number | null;
  error: string | null;
  excerpt: string | null;
};

export const deliverWebhookJob =
  (deps: DeliveryDeps): JobHandler =>
  async (payload, job) => {
    const { deliveryId } = payload as { deliveryId: string };
    const target = await store.findDeliveryTarget(deps.db, deliveryId);
    // Delivered by an earlier run whose completion was lost, or cancelled: nothing left to do.
    if (target?.state !== 'pending') return;
    if (!target.active) {
      await store.cancelDelivery(deps.db, deliveryId, 'the endpoint was disabled before delivery');
      return;
    }
    const body = JSON.stringify(target.payload);
    const timestamp = Math.floor(deps.clock().getTime() / 1000);
    const outcome = await post(
      target.url,
      body,
      {
        'content-type': 'application/json',
        'user-agent': 'OpenPSIRT-Webhooks',
        'webhook-id': target.event_id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(target.secret, target.event_id, timestamp, body),
      },
      deps.timeoutMs ?? defaultTimeoutMs,
    );
    const lastAttempt = job.attempts >= job.max_attempts;
    await store.recordAttempt(deps.db, deliveryId, {
      state: outcome.delivered ? 'delivered' : lastAttempt ? 'failed' : 'pending',
      attempts: job.attempts,
      statusCode: outcome.statusCode,
      error: outcome.error,
      excerpt: outcome.excerpt,
      at: deps.clock(),
    });
    if (!outcome.delivered) throw new Error(`webhook delivery ${deliveryId}: ${outcome.error}`);
  };

async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<Outcome> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const excerpt = await readExcerpt(response);
    if (response.status >= 200 && response.status < 300) {
      return { delivered: true, statusCode: response.status, error: null, excerpt };
    }
    const redirect = response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : '';
    return {
      delivered: false,
      statusCode: response.status,
      error: `answered ${response.status}${redirect}`,
      excerpt,
    };
  } catch (error) {
    return { delivered: false, statusCode: null, error: describeFailure(error), excerpt: null };
  }
}

async function readExcerpt(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < excerptBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // A body cut short says nothing more about the delivery than its status does.
  } finally {
    await reader.cancel().catch(() => {});
  }
  const text = Buffer.concat(chunks).subarray(0, excerptBytes).toString('utf8');
  return text === '' ? null : text;
}

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'no answer within the timeout';
  const cause = error.cause as { code?: string; message?: string } | undefined;
  return cause ? `${error.message}: ${cause.code ?? cause.message}` : error.message;
}
