// The device protocol over HTTP (docs/device-protocol.md): session for Ed25519 devices, check-in,
// reports, and the director's public key. These routes are `access: 'public'` for the staff
// authorization layer (no session, no API token): devices are authenticated here, in a preHandler,
// by their own credentials. The matrix test therefore lists them as allowed to everyone.
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { Unauthenticated } from '../../platform/errors.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import { checkIn } from './check-in.ts';
import { authenticateDevice, signedByDevice } from './device-auth.ts';
import type { CachedDevice } from './device-cache.ts';
import { directorKey } from './director-key.ts';
import { storeDeviceReports } from './reports.ts';
import { startDirectorRuntime } from './runtime.ts';
import { issueChallenge, issueSessionToken, openChallenge } from './session-tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The device that authenticated (device protocol routes only). */
    device: CachedDevice | null;
  }
}

const tags = ['device protocol'];
const devices = { access: 'public' as const };
// A fleet polls all day: a log line per check-in would drown everything else. Failures still log.
const quietLog = 'warn' as const;
const Id = Type.String({ format: 'uuid' });
const Time = Type.String({ description: 'UTC, whole seconds', examples: ['2026-11-30T07:05:00Z'] });
const Hex = (bytes: number) => Type.String({ pattern: `^[0-9a-f]{${bytes * 2}}$` });
const deviceAuth = {
  description:
    'Authorization: "Device <deviceId>:<secret>" (secret devices) or "DeviceSession <token>" (Ed25519 devices, token from POST /device/v1/session)',
};

const TargetView = Type.Object({
  path: Type.String({ description: 'The TUF target path in the image repository' }),
  length: Type.Integer(),
  sha256: Type.String(),
  version: Type.String(),
  releaseId: Id,
  mode: Type.Union([Type.Literal('soft'), Type.Literal('forced'), Type.Literal('download-only')]),
});

const SignedInstructionView = Type.Object({
  signatures: Type.Array(Type.Object({ keyid: Hex(32), sig: Hex(64) }), { minItems: 1, maxItems: 1 }),
  signed: Type.Object({
    action: Type.Union([Type.Literal('none'), Type.Literal('install')]),
    deviceId: Id,
    expiresAt: Time,
    issuedAt: Time,
    nonce: Type.String(),
    pollSeconds: Type.Integer(),
    target: Type.Optional(TargetView),
  }),
});

export const directorRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const runtime = startDirectorRuntime(deps);
  app.addHook('onClose', () => runtime.lastSeen.stop());
  app.decorateRequest('device', null);

  const authenticated = async (request: FastifyRequest) => {
    request.device = await authenticateDevice(
      runtime.cache,
      runtime.ring,
      request.headers.authorization,
      deps.clock(),
    );
  };

  app.get(
    '/device/v1/director-key',
    {
      config: devices,
      schema: {
        tags,
        summary: 'The director’s Ed25519 public key, which devices pin at manufacture to verify instructions',
        response: {
          200: Type.Object({
            keyid: Hex(32),
            keytype: Type.Literal('ed25519'),
            scheme: Type.Literal('ed25519'),
            public: Hex(32),
          }),
        },
      },
    },
    async () => {
      const { publicKey } = await directorKey(deps);
      return {
        keyid: publicKey.keyId,
        keytype: 'ed25519' as const,
        scheme: 'ed25519' as const,
        public: publicKey.publicHex,
      };
    },
  );

  app.post(
    '/device/v1/session/challenge',
    {
      config: devices,
      schema: {
        tags,
        summary: 'A challenge for an Ed25519 device to sign (valid 2 minutes)',
        body: Type.Object({ deviceId: Id }, { additionalProperties: false }),
        response: { 200: Type.Object({ challenge: Type.String(), expiresAt: Time }), ...errorResponses(400) },
      },
    },
    async (request) => {
      const issued = await issueChallenge(
        runtime.ring,
        deps.random,
        request.body.deviceId.toLowerCase(),
        deps.clock(),
      );
      return { challenge: issued.challenge, expiresAt: `${issued.expiresAt.toISOString().slice(0, 19)}Z` };
    },
  );

  app.post(
    '/device/v1/session',
    {
      config: devices,
      schema: {
        tags,
        summary: 'Trade a signed challenge for a session token (valid 24 hours) to present on check-ins',
        body: Type.Object(
          {
            challenge: Type.String({ maxLength: 300 }),
            signature: Type.String({
              pattern: '^[0-9a-fA-F]{128}$',
              description: 'Ed25519 signature of the challenge’s ASCII bytes, hex',
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ token: Type.String(), expiresAt: Time }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const now = deps.clock();
      const deviceId = await openChallenge(runtime.ring, request.body.challenge, now);
      const device = deviceId === undefined ? undefined : await runtime.cache.get(deviceId);
      if (!device || !signedByDevice(device, request.body.challenge, request.body.signature)) {
        throw new Unauthenticated(
          'The challenge is unknown or expired, or the signature is not the device’s.',
        );
      }
      const issued = await issueSessionToken(runtime.ring, device.id, now);
      return { token: issued.token, expiresAt: `${issued.expiresAt.toISOString().slice(0, 19)}Z` };
    },
  );

  app.post(
    '/device/v1/check-in',
    {
      config: devices,
      logLevel: quietLog,
      preHandler: authenticated,
      schema: {
        tags,
        summary: 'Check in: report the installed version and get a signed instruction',
        description: deviceAuth.description,
        body: Type.Object(
          {
            installedVersion: Type.String({ minLength: 1, maxLength: 100 }),
            nonce: Type.String({
              pattern: '^[A-Za-z0-9_-]{16,64}$',
              description: '16 to 64 of A-Z a-z 0-9 _ -',
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: SignedInstructionView, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const body = await checkIn(deps, runtime, request.device as CachedDevice, request.body);
      // Sent as the exact canonical bytes: a re-serialisation could reorder the signed members.
      return reply.type('application/json').send(body as never);
    },
  );

  app.post(
    '/device/v1/reports',
    {
      config: devices,
      preHandler: authenticated,
      schema: {
        tags,
        summary: 'Report download and install events; answered after they are stored',
        description: deviceAuth.description,
        body: Type.Object(
          {
            events: Type.Array(
              Type.Object(
                {
                  kind: Type.Union([
                    Type.Literal('download-started'),
                    Type.Literal('download-finished'),
                    Type.Literal('download-failed'),
                    Type.Literal('install-succeeded'),
                    Type.Literal('install-failed'),
                    Type.Literal('running'),
                  ]),
                  releaseId: Type.Optional(Id),
                  version: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
                  errorCode: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' })),
                  at: Type.String({ format: 'date-time' }),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 100 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ stored: Type.Integer() }), ...errorResponses(400, 401) },
      },
    },
    async (request) => ({
      stored: await storeDeviceReports(deps, (request.device as CachedDevice).id, request.body.events),
    }),
  );
};
