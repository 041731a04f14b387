// HTTP API of suppliers: records, model links, "your supplier" for supplier users, and (in
// checklist-routes.ts) the contract-safeguards checklist with its evidence files.
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Deps } from '../deps.ts';
import { errorResponses } from '../platform/http-errors.ts';
import { checklistRoutes } from './checklist-routes.ts';
import { managers, principalOf, readers } from './policy.ts';
import { presentSupplier, RelationSchema, SupplierParams, SupplierView } from './presenters.ts';
import {
  createSupplier,
  getOwnSupplier,
  getSupplier,
  listSuppliers,
  maxContacts,
  setSupplierModels,
  updateSupplier,
} from './service.ts';

const ContactInput = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    email: Type.String({ maxLength: 254 }),
    role: Type.String({ maxLength: 100 }),
    phone: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
  },
  { additionalProperties: false },
);

const Country = Type.Union([
  Type.String({ maxLength: 8, description: 'ISO 3166-1 alpha-2, e.g. CN, VN, TW, DE' }),
  Type.Null(),
]);

const NewSupplier = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    slug: Type.Optional(Type.String({ maxLength: 64, description: 'Made from the name when absent' })),
    country: Type.Optional(Country),
    contacts: Type.Optional(Type.Array(ContactInput, { maxItems: maxContacts })),
  },
  { additionalProperties: false },
);

const SupplierChanges = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    country: Type.Optional(Country),
    contacts: Type.Optional(Type.Array(ContactInput, { maxItems: maxContacts })),
  },
  {
    additionalProperties: false,
    description: 'Only the fields sent change; contacts are replaced as a whole',
  },
);

const ModelLinks = Type.Object(
  {
    models: Type.Array(
      Type.Object(
        { modelId: Type.String({ maxLength: 64 }), relation: RelationSchema },
        { additionalProperties: false },
      ),
      { maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);

export const supplierRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/suppliers',
    {
      config: { access: readers },
      schema: {
        tags: ['suppliers'],
        summary: 'Suppliers with their models and what is missing from their safeguards',
        description: 'A supplier user sees only its own supplier.',
        response: { 200: Type.Object({ suppliers: Type.Array(SupplierView) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({
      suppliers: (await listSuppliers(deps, principalOf(request))).map(presentSupplier),
    }),
  );

  app.post(
    '/api/v1/suppliers',
    {
      config: { access: managers },
      schema: {
        tags: ['suppliers'],
        summary: 'Add a supplier (contract manufacturer or parts supplier)',
        body: NewSupplier,
        response: { 201: SupplierView, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const detail = await createSupplier(deps, principalOf(request), request.body);
      return reply
        .code(201)
        .header('location', `/api/v1/suppliers/${detail.supplier.id}`)
        .send(presentSupplier(detail));
    },
  );

  app.get(
    '/api/v1/suppliers/:supplierId',
    {
      config: { access: readers },
      schema: {
        tags: ['suppliers'],
        summary: 'One supplier',
        params: SupplierParams,
        response: { 200: SupplierView, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) =>
      presentSupplier(await getSupplier(deps, principalOf(request), request.params.supplierId)),
  );

  app.patch(
    '/api/v1/suppliers/:supplierId',
    {
      config: { access: managers },
      schema: {
        tags: ['suppliers'],
        summary: "Change a supplier's name, country or contacts",
        params: SupplierParams,
        body: SupplierChanges,
        response: { 200: SupplierView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      presentSupplier(
        await updateSupplier(deps, principalOf(request), request.params.supplierId, request.body),
      ),
  );

  app.put(
    '/api/v1/suppliers/:supplierId/models',
    {
      config: { access: managers },
      schema: {
        tags: ['suppliers'],
        summary: 'Set the models the supplier builds or supplies parts for',
        description:
          'Replaces every link of this supplier. A supplier user sees exactly these models (and their firmware).',
        params: SupplierParams,
        body: ModelLinks,
        response: { 200: SupplierView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      presentSupplier(
        await setSupplierModels(deps, principalOf(request), request.params.supplierId, request.body.models),
      ),
  );

  app.get(
    '/api/v1/me/supplier',
    {
      config: { access: { roles: ['supplier'] } },
      schema: {
        tags: ['suppliers'],
        summary: 'The supplier a supplier account works for, with its models and safeguards summary',
        response: { 200: SupplierView, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => presentSupplier(await getOwnSupplier(deps, principalOf(request))),
  );

  await app.register(checklistRoutes, { deps });
};
