// Component search across every firmware version: which firmware holds package X in range R.
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Principal } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import { PageQuery, page } from '../../platform/paging.ts';
import { searchComponents } from '../component-search.ts';
import { presentSearchHit, SearchHitView } from '../presenters.ts';
import { readers, tags } from './common.ts';

const SearchQuery = Type.Object(
  {
    ...PageQuery.properties,
    purl: Type.Optional(
      Type.String({
        maxLength: 1000,
        description: 'Package URL; compared without version, qualifiers and subpath',
        examples: ['pkg:generic/openssl'],
      }),
    ),
    name: Type.Optional(Type.String({ maxLength: 500, description: 'Component name, whole, any case' })),
    range: Type.Optional(
      Type.String({
        maxLength: 2000,
        description: 'Version range',
        examples: ['< 3.0.7', '>= 2.0, < 2.4.1 | 3.0.0'],
      }),
    ),
  },
  { additionalProperties: false },
);

const SearchResult = Type.Object({
  query: Type.Object({
    purlBase: Type.Union([Type.String(), Type.Null()]),
    name: Type.Union([Type.String(), Type.Null()]),
    range: Type.Union([
      Type.String({ description: 'The range as understood, in canonical form' }),
      Type.Null(),
    ]),
  }),
  items: Type.Array(SearchHitView),
  total: Type.Integer({ description: 'Firmware versions matching, across all pages' }),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

export const searchRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/components/search',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: 'Firmware versions containing a component, by purl or name and version range',
        description:
          'Give purl or name, and optionally range. Answers firmware versions (with model and product) ' +
          'ordered by product, model and version, each with its matching components. A supplier sees only its own models.',
        querystring: SearchQuery,
        response: { 200: SearchResult, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const paging = page(request.query);
      const { purl, name, range } = request.query;
      const result = await searchComponents(
        deps,
        request.principal as Principal,
        { purl, name, range },
        paging,
      );
      return {
        query: {
          purlBase: 'purlBase' in result.query.match ? result.query.match.purlBase : null,
          name: 'name' in result.query.match ? result.query.match.name : null,
          range: result.query.range,
        },
        items: result.rows.map(presentSearchHit),
        total: result.total,
        ...paging,
      };
    },
  );
};
