// The device registry over HTTP: register one, import a provisioning list (CSV or JSON), list, read.
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Access, Principal } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { UnsupportedMediaType } from '../../platform/errors.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import { LimitQuery, PageOf, page } from '../../platform/paging.ts';
import { csvToDeviceSpecs, deviceCsvColumns, type LocatedDeviceSpec } from './device-csv.ts';
import type { DeviceSpec } from './device-input.ts';
import { getDevice, listDevices } from './reading.ts';
import { importDevices, registerDevice } from './registration.ts';
import type { DeviceRow } from './store.ts';

const readers: Access = { roles: ['admin', 'analyst', 'auditor', 'supplier'] };
const registrars: Access = { roles: ['admin', 'analyst'] };
const tags = ['devices'];
const Id = Type.String({ format: 'uuid' });
/** 100,000 lines of about 200 bytes, with room to spare. */
const importBodyLimit = 64 * 1024 * 1024;

export const DeviceView = Type.Object({
  id: Id,
  serial: Type.String(),
  modelId: Id,
  hardwareRevision: Type.String(),
  credential: Type.Union([
    Type.Object({ kind: Type.Literal('ed25519'), publicKey: Type.String() }),
    Type.Object({ kind: Type.Literal('secret') }),
  ]),
  installedVersion: Type.Union([Type.String(), Type.Null()]),
  tags: Type.Array(Type.String()),
  region: Type.Union([Type.String(), Type.Null()]),
  lastSeenAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

const present = (row: DeviceRow) => ({
  id: row.id,
  serial: row.serial,
  modelId: row.model_id,
  hardwareRevision: row.hardware_revision,
  // A secret device's hash is never shown: it is enough to try guesses offline.
  credential:
    row.credential_kind === 'ed25519'
      ? { kind: 'ed25519' as const, publicKey: row.credential }
      : { kind: 'secret' as const },
  installedVersion: row.installed_version,
  tags: row.tags,
  region: row.region,
  lastSeenAt: row.last_seen_at?.toISOString() ?? null,
  createdAt: row.created_at.toISOString(),
});

const DeviceInput = Type.Object(
  {
    serial: Type.String({ maxLength: 200, examples: ['CAM-2024-000123'] }),
    model: Type.String({
      maxLength: 300,
      description: 'The model id, or product-slug/model-slug',
      examples: ['acme-cam/cam-200'],
    }),
    hardwareRevision: Type.String({ maxLength: 200, description: 'One of the model’s hardware revisions' }),
    publicKey: Type.Optional(
      Type.String({ maxLength: 200, description: 'Ed25519 public key, 32 bytes as 64 hex characters' }),
    ),
    secret: Type.Optional(
      Type.String({
        maxLength: 300,
        description: 'A per-device secret of 32 to 256 printable ASCII characters; only its SHA-256 is kept',
      }),
    ),
    installedVersion: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    tags: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 100 })),
    region: Type.Optional(
      Type.Union([
        Type.String({ maxLength: 100, description: 'IANA time zone, e.g. Europe/Berlin' }),
        Type.Null(),
      ]),
    ),
  },
  { additionalProperties: false },
);

export const deviceRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: importBodyLimit },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/api/v1/devices',
    {
      config: { access: registrars },
      schema: {
        tags,
        summary: 'Register one device with an Ed25519 public key or a per-device secret',
        body: DeviceInput,
        response: { 201: DeviceView, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          present(await registerDevice(deps, request.principal as Principal, request.body as DeviceSpec)),
        ),
  );

  app.post(
    '/api/v1/devices/import',
    {
      bodyLimit: importBodyLimit,
      config: { access: registrars },
      schema: {
        tags,
        summary: 'Register a provisioning list of devices from CSV or JSON, all or nothing',
        description:
          `CSV columns: ${deviceCsvColumns.join(', ')} (serial, model and hardware_revision required; ` +
          'exactly one of public_key and secret; tags separated by spaces or semicolons). Every problem is ' +
          'reported with its place (CSV line or JSON path) and nothing is saved unless the whole list is ' +
          'valid. dryRun=true checks without saving.',
        querystring: Type.Object(
          {
            dryRun: Type.Optional(
              Type.Union([Type.Literal('true'), Type.Literal('false')], {
                description: 'true: check and count, save nothing',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        body: {
          content: {
            'application/json': {
              schema: Type.Object(
                { devices: Type.Array(DeviceInput, { maxItems: 200_000 }) },
                { additionalProperties: false },
              ),
            },
            'text/csv': { schema: Type.String({ description: 'A header line, then one device per line' }) },
          },
        },
        response: {
          200: Type.Object({ dryRun: Type.Boolean(), created: Type.Integer() }),
          ...errorResponses(400, 401, 403, 409, 413, 415),
        },
      },
    },
    async (request) => {
      const contentType = request.headers['content-type'] ?? '';
      let specs: LocatedDeviceSpec[];
      if (contentType.startsWith('text/csv')) specs = csvToDeviceSpecs(request.body as string);
      else if (contentType.startsWith('application/json')) {
        specs = (request.body as { devices: DeviceSpec[] }).devices.map((device, index) => ({
          ...device,
          where: `devices[${index}]`,
        }));
      } else throw new UnsupportedMediaType('Send the devices as application/json or text/csv');
      return importDevices(deps, request.principal as Principal, specs, {
        dryRun: request.query.dryRun === 'true',
      });
    },
  );

  app.get(
    '/api/v1/devices',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: 'Registered devices by serial; suppliers see the devices of their models only',
        querystring: Type.Object(
          {
            model: Type.Optional(Id),
            version: Type.Optional(Type.String({ maxLength: 200, description: 'Installed version' })),
            tag: Type.Optional(Type.String({ maxLength: 200 })),
            limit: LimitQuery('Devices'),
            offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(DeviceView), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const paging = page(request.query);
      const { rows, total } = await listDevices(
        deps,
        request.principal as Principal,
        { modelId: request.query.model, version: request.query.version, tag: request.query.tag },
        paging,
      );
      return { items: rows.map(present), total, ...paging };
    },
  );

  app.get(
    '/api/v1/devices/:deviceId',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: 'One device',
        params: Type.Object({ deviceId: Id }),
        response: { 200: DeviceView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      present(await getDevice(deps, request.principal as Principal, request.params.deviceId)),
  );
};
