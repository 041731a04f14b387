// Signing of webhook requests, following the Standard Webhooks scheme (standardwebhooks.com):
// HMAC-SHA256 over `${webhook-id}.${webhook-timestamp}.${body}` with the endpoint's secret, sent as
// `webhook-signature: v1,<base64>`. Self-contained (node:crypto only) so receivers can copy it.
import crypto from 'node:crypto';

/** Secrets look like `whsec_<base64 of 32 random bytes>`; the HMAC key is the decoded bytes. */
export const SECRET_PREFIX = 'whsec_';

export const newWebhookSecret = (randomBytes: Buffer): string =>
  `${SECRET_PREFIX}${randomBytes.toString('base64')}`;

const secretKey = (secret: string): Buffer =>
  Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');

/** The value of the `webhook-signature` header for one message. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const mac = crypto.createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`);
  return `v1,${mac.digest('base64')}`;
}

export type WebhookHeaders = Record<string, string | string[] | undefined>;

const header = (headers: WebhookHeaders, name: string): string | undefined => {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * True when `body` (the raw request body, exactly as received) was signed with `secret` and its
 * timestamp lies within `toleranceSeconds` (default 300) of `now`, which stops replays of old
 * requests. The header may hold several space-separated signatures (during a secret rotation); one
 * valid `v1` signature is enough. Comparison takes the same time wherever the values differ.
 *
 * @example
 * http.createServer((req, res) => {
 *   let body = '';
 *   req.on('data', (chunk) => { body += chunk; });
 *   req.on('end', () => {
 *     if (!verifyWebhookSignature(process.env.WEBHOOK_SECRET, req.headers, body)) return res.writeHead(401).end();
 *     const event = JSON.parse(body); // { id, type, occurredAt, data }
 *     res.writeHead(204).end();
 *   });
 * });
 */
export function verifyWebhookSignature(
  secret: string,
  headers: WebhookHeaders,
  body: string,
  options: { toleranceSeconds?: number; now?: Date } = {},
): boolean {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures || !/^\d{1,12}$/.test(timestamp)) return false;
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, id, Number(timestamp), body).slice(3), 'base64');
  return signatures.split(' ').some((candidate) => {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  });
}
