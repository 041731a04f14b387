// How the agent authenticates to the director (docs/device-protocol.md, "Authenticating"): a secret
// device sends its secret on every request; an Ed25519 device proves its key once through a signed
// challenge and then sends the session token until it expires.
import crypto from 'node:crypto';

export type Credential = { kind: 'secret'; secret: string } | { kind: 'ed25519'; privateKey: string };

const pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The raw 32-byte Ed25519 seed in hex, as a Node private key. */
export function ed25519PrivateKey(seedHex: string): crypto.KeyObject {
  if (!/^[0-9a-f]{64}$/.test(seedHex)) throw new Error('an Ed25519 private key is 64 hex characters');
  return crypto.createPrivateKey({
    key: Buffer.concat([pkcs8Prefix, Buffer.from(seedHex, 'hex')]),
    format: 'der',
    type: 'pkcs8',
  });
}

/** The public half, 64 hex characters, as the registry takes it. */
export function ed25519PublicKeyOf(seedHex: string): string {
  return crypto
    .createPublicKey(ed25519PrivateKey(seedHex))
    .export({ format: 'der', type: 'spki' })
    .subarray(-32)
    .toString('hex');
}

/** A session token is renewed this long before it expires, so a check-in never carries a dead one. */
const renewMarginMs = 5 * 60_000;

export type Authorizer = {
  /** The Authorization header for the next request. */
  header(): Promise<string>;
  /** After a 401: forget the session token so the next header starts a new session. */
  reset(): void;
};

export function authorizer(
  serverUrl: string,
  deviceId: string,
  credential: Credential,
  now: () => Date,
  post: (url: string, body: unknown, headers?: Record<string, string>) => Promise<Response>,
): Authorizer {
  if (credential.kind === 'secret') {
    const header = `Device ${deviceId}:${credential.secret}`;
    return { header: async () => header, reset() {} };
  }
  const key = ed25519PrivateKey(credential.privateKey);
  let session: { token: string; expiresAt: number } | null = null;
  return {
    async header() {
      if (!session || session.expiresAt - renewMarginMs <= now().getTime()) {
        const challenge = await post(`${serverUrl}/device/v1/session/challenge`, { deviceId });
        if (challenge.status !== 200) throw new ProtocolError('E_SESSION', challenge.status);
        const { challenge: text } = (await challenge.json()) as { challenge: string };
        const signature = crypto.sign(null, Buffer.from(text, 'ascii'), key).toString('hex');
        const answer = await post(`${serverUrl}/device/v1/session`, { challenge: text, signature });
        if (answer.status !== 200) throw new ProtocolError('E_SESSION', answer.status);
        const body = (await answer.json()) as { token: string; expiresAt: string };
        session = { token: body.token, expiresAt: Date.parse(body.expiresAt) };
      }
      return `DeviceSession ${session.token}`;
    },
    reset() {
      session = null;
    },
  };
}

/** The server answered something other than success: the agent retries at the next poll. */
export class ProtocolError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, status: number) {
    super(`${code}: the server answered ${status}`);
    this.code = code;
    this.status = status;
  }
}
