// Products and their models: list, create, read and change.
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Principal } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import { PageOf, PageQuery, page } from '../../platform/paging.ts';
import { limits, slugPattern } from '../inventory-input.ts';
import { createModel, getModel, listModels, updateModel } from '../model-service.ts';
import { ModelView, ProductView, presentModel, presentProduct } from '../presenters.ts';
import { createProduct, getProduct, listProducts, updateProduct } from '../product-service.ts';
import { readers, tags, writers } from './common.ts';

const Slug = Type.String({ pattern: slugPattern, maxLength: limits.slug, examples: ['c200-camera'] });
const Name = Type.String({ minLength: 1, maxLength: limits.name });

const NewProduct = Type.Object(
  { slug: Slug, name: Name, description: Type.Optional(Type.String({ maxLength: limits.description })) },
  { additionalProperties: false },
);
const ProductChanges = Type.Partial(NewProduct, { additionalProperties: false, minProperties: 1 });

const NewModel = Type.Object(
  {
    slug: Slug,
    name: Name,
    hardwareRevisions: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: limits.hardwareRevision }), {
        maxItems: limits.hardwareRevisions,
        description: 'Hardware revisions this model covers, e.g. ["A", "B2"]',
      }),
    ),
    remoteUpdate: Type.Optional(Type.Boolean({ description: 'Can be updated over the air' })),
    supportEnds: Type.Optional(
      Type.Union([Type.String({ format: 'date' }), Type.Null()], {
        description: 'Last day the maker promises security updates (YYYY-MM-DD)',
      }),
    ),
  },
  { additionalProperties: false },
);
const ModelChanges = Type.Partial(NewModel, { additionalProperties: false, minProperties: 1 });

const ProductParams = Type.Object({ productId: Type.String({ format: 'uuid' }) });
const ModelParams = Type.Object({ modelId: Type.String({ format: 'uuid' }) });

export const productRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/products',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: 'Products, by name (a supplier sees those with a model linked to it)',
        querystring: PageQuery,
        response: { 200: PageOf(ProductView), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const paging = page(request.query);
      const { rows, total } = await listProducts(deps, request.principal as Principal, paging);
      return { items: rows.map(presentProduct), total, ...paging };
    },
  );

  app.post(
    '/api/v1/products',
    {
      config: { access: writers },
      schema: {
        tags,
        summary: 'Create a product',
        body: NewProduct,
        response: { 201: ProductView, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const product = await createProduct(deps, request.principal as Principal, request.body);
      return reply.code(201).send(presentProduct(product));
    },
  );

  app.get(
    '/api/v1/products/:productId',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: 'One product',
        params: ProductParams,
        response: { 200: ProductView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      presentProduct(await getProduct(deps, request.principal as Principal, request.params.productId)),
  );

  app.patch(
    '/api/v1/products/:productId',
    {
      config: { access: writers },
      schema: {
        tags,
        summary: 'Change a product (only the fields given)',
        params: ProductParams,
        body: ProductChanges,
        response: { 200: ProductView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      presentProduct(
        await updateProduct(deps, request.principal as Principal, request.params.productId, request.body),
      ),
  );

  app.get(
    '/api/v1/products/:productId/models',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: 'Models of a product, by name (a supplier sees only its own)',
        params: ProductParams,
        querystring: PageQuery,
        response: { 200: PageOf(ModelView), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const paging = page(request.query);
      const principal = request.principal as Principal;
      const { rows, total } = await listModels(deps, principal, request.params.productId, paging);
      return { items: rows.map(presentModel), total, ...paging };
    },
  );

  app.post(
    '/api/v1/products/:productId/models',
    {
      config: { access: writers },
      schema: {
        tags,
        summary: 'Create a model of a product',
        params: ProductParams,
        body: NewModel,
        response: { 201: ModelView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const model = await createModel(
        deps,
        request.principal as Principal,
        request.params.productId,
        request.body,
      );
      return reply.code(201).send(presentModel(model));
    },
  );

  app.get(
    '/api/v1/models/:modelId',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: 'One model, with its product and suppliers',
        params: ModelParams,
        response: { 200: ModelView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      presentModel(await getModel(deps, request.principal as Principal, request.params.modelId)),
  );

  app.patch(
    '/api/v1/models/:modelId',
    {
      config: { access: writers },
      schema: {
        tags,
        summary: 'Change a model (only the fields given)',
        params: ModelParams,
        body: ModelChanges,
        response: { 200: ModelView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      presentModel(
        await updateModel(deps, request.principal as Principal, request.params.modelId, request.body),
      ),
  );
};
