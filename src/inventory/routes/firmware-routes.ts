// Firmware versions of a model (listed in version order), and the components of one version's SBOM.
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Principal } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import { PageOf, PageQuery, page } from '../../platform/paging.ts';
import { createFirmware, getFirmware, listFirmware, updateFirmware } from '../firmware-service.ts';
import { limits } from '../inventory-input.ts';
import { ComponentView, FirmwareView, presentComponent, presentFirmware } from '../presenters.ts';
import { listComponents } from '../sbom-service.ts';
import { readers, tags, writers } from './common.ts';

const NewFirmware = Type.Object(
  {
    version: Type.String({
      minLength: 1,
      maxLength: limits.version,
      description: 'As the device reports it: 2.4.1, v3.0.0-rc.2, V2.1.0_build1234, 20261105 …',
    }),
    releaseDate: Type.Optional(Type.Union([Type.String({ format: 'date' }), Type.Null()])),
    notes: Type.Optional(Type.String({ maxLength: limits.notes })),
  },
  { additionalProperties: false },
);
const FirmwareChanges = Type.Partial(NewFirmware, { additionalProperties: false, minProperties: 1 });

const ModelParams = Type.Object({ modelId: Type.String({ format: 'uuid' }) });
const FirmwareParams = Type.Object({ firmwareId: Type.String({ format: 'uuid' }) });

const ComponentQuery = Type.Object(
  {
    ...PageQuery.properties,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Part of the name' })),
  },
  { additionalProperties: false },
);

export const firmwareRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/models/:modelId/firmware',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: 'Firmware versions of a model, oldest version first',
        description: 'Ordered by version (see docs/inventory.md for the rules), not by release date.',
        params: ModelParams,
        querystring: PageQuery,
        response: { 200: PageOf(FirmwareView), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const paging = page(request.query);
      const principal = request.principal as Principal;
      const { rows, total } = await listFirmware(deps, principal, request.params.modelId, paging);
      return { items: rows.map(presentFirmware), total, ...paging };
    },
  );

  app.post(
    '/api/v1/models/:modelId/firmware',
    {
      config: { access: writers },
      schema: {
        tags,
        summary: 'Add a firmware version to a model',
        params: ModelParams,
        body: NewFirmware,
        response: { 201: FirmwareView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const firmware = await createFirmware(
        deps,
        request.principal as Principal,
        request.params.modelId,
        request.body,
      );
      return reply.code(201).send(presentFirmware(firmware));
    },
  );

  app.get(
    '/api/v1/firmware/:firmwareId',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: 'One firmware version, with its model, product and current SBOM',
        params: FirmwareParams,
        response: { 200: FirmwareView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      presentFirmware(await getFirmware(deps, request.principal as Principal, request.params.firmwareId)),
  );

  app.patch(
    '/api/v1/firmware/:firmwareId',
    {
      config: { access: writers },
      schema: {
        tags,
        summary: 'Change a firmware version (only the fields given)',
        params: FirmwareParams,
        body: FirmwareChanges,
        response: { 200: FirmwareView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      presentFirmware(
        await updateFirmware(deps, request.principal as Principal, request.params.firmwareId, request.body),
      ),
  );

  app.get(
    '/api/v1/firmware/:firmwareId/components',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: 'Components of the current SBOM of a firmware version, by name',
        params: FirmwareParams,
        querystring: ComponentQuery,
        response: { 200: PageOf(ComponentView), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const paging = page(request.query);
      const principal = request.principal as Principal;
      const filter = { name: request.query.name };
      const { rows, total } = await listComponents(
        deps,
        principal,
        request.params.firmwareId,
        paging,
        filter,
      );
      return { items: rows.map(presentComponent), total, ...paging };
    },
  );
};
