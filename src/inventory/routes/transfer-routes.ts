// Bulk export and import of the inventory, as JSON or CSV (columns in docs/inventory.md).
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Principal } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { UnsupportedMediaType } from '../../platform/errors.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import { csvToSpecs, inventoryToCsv } from '../inventory-csv.ts';
import { limits, slugPattern } from '../inventory-input.ts';
import { exportInventory, importInventory, specsFromDocument } from '../inventory-transfer.ts';
import { readers, tags, writers } from './common.ts';

const Relation = Type.Union([Type.Literal('builds'), Type.Literal('supplies-parts')]);
const NullableDate = Type.Union([Type.String(), Type.Null()]);

/** What an import takes; optional fields left out keep their stored value (or a default when new). */
const ImportDocument = Type.Object(
  {
    format: Type.Optional(Type.Literal('openpsirt-inventory')),
    version: Type.Optional(Type.Literal(1)),
    products: Type.Array(
      Type.Object(
        {
          slug: Type.String({ maxLength: 200 }),
          name: Type.Optional(Type.String({ maxLength: 1000 })),
          description: Type.Optional(Type.String({ maxLength: limits.description + 1000 })),
          models: Type.Optional(
            Type.Array(
              Type.Object(
                {
                  slug: Type.String({ maxLength: 200 }),
                  name: Type.Optional(Type.String({ maxLength: 1000 })),
                  hardwareRevisions: Type.Optional(Type.Array(Type.String({ maxLength: 1000 }))),
                  remoteUpdate: Type.Optional(Type.Boolean()),
                  supportEnds: Type.Optional(NullableDate),
                  suppliers: Type.Optional(
                    Type.Array(
                      Type.Object(
                        { supplier: Type.String({ pattern: slugPattern }), relation: Relation },
                        { additionalProperties: false },
                      ),
                    ),
                  ),
                  firmware: Type.Optional(
                    Type.Array(
                      Type.Object(
                        {
                          version: Type.String({ maxLength: 1000 }),
                          releaseDate: Type.Optional(NullableDate),
                          notes: Type.Optional(Type.String({ maxLength: limits.notes + 1000 })),
                        },
                        { additionalProperties: false },
                      ),
                    ),
                  ),
                },
                { additionalProperties: false },
              ),
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const Counts = Type.Object({ created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer() });
const ImportResult = Type.Object({
  dryRun: Type.Boolean(),
  products: Counts,
  models: Counts,
  firmware: Counts,
});

export const transferRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const bodyLimit = deps.config.sbomMaxBytes;
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit }, (_request, body, done) =>
    done(null, body),
  );

  app.get(
    '/api/v1/inventory/export',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: 'The whole inventory (what you may see) as JSON or CSV',
        description:
          'Products, models with hardware revisions and supplier links, firmware versions. SBOMs are not included.',
        querystring: Type.Object(
          {
            format: Type.Optional(
              Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: {
            content: {
              'application/json': { schema: ImportDocument },
              'text/csv': { schema: Type.String() },
            },
          },
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const document = await exportInventory(deps, request.principal as Principal);
      const date = deps.clock().toISOString().slice(0, 10);
      if (request.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="inventory-${date}.csv"`)
          .send(inventoryToCsv(document));
      }
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="inventory-${date}.json"`)
        .send(document);
    },
  );

  app.post(
    '/api/v1/inventory/import',
    {
      bodyLimit,
      config: { access: writers },
      schema: {
        tags,
        summary: 'Create or update products, models and firmware from JSON or CSV, all or nothing',
        description:
          'Upserts by product slug, model slug and firmware version. Every problem is reported with its ' +
          'place (JSON path or CSV line) and nothing is changed unless the whole file is valid. ' +
          'dryRun=true checks and counts without saving.',
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
            'application/json': { schema: ImportDocument },
            'text/csv': { schema: Type.String({ description: 'Columns as in the CSV export' }) },
          },
        },
        response: { 200: ImportResult, ...errorResponses(400, 401, 403, 413, 415) },
      },
    },
    async (request) => {
      const contentType = request.headers['content-type'] ?? '';
      const specs = contentType.startsWith('text/csv')
        ? csvToSpecs(request.body as string)
        : contentType.startsWith('application/json')
          ? specsFromDocument(request.body as { products: Array<Record<string, unknown>> })
          : (() => {
              throw new UnsupportedMediaType('Send the inventory as application/json or text/csv');
            })();
      return importInventory(deps, request.principal as Principal, specs, {
        dryRun: request.query.dryRun === 'true',
      });
    },
  );
};
