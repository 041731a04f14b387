// Paging of list routes: the query-string parameters, their parsing, and the page-of-items response.
import { Type } from '@fastify/type-provider-typebox';
import { Invalid } from './errors.ts';

/** Rows to skip and rows to return, as stores take them. */
export type Page = { limit: number; offset: number };

const defaultLimit = 100;
const maxLimit = 500;

/** The `limit` query parameter; `items` names what is counted, e.g. 'Entries'. */
export const LimitQuery = (items: string) =>
  Type.Optional(
    Type.String({
      pattern: '^[0-9]{1,3}$',
      description: `${items} per page, 1 to ${maxLimit} (default ${defaultLimit})`,
    }),
  );

/** Query strings are not coerced (ajv coerceTypes is off), so numbers arrive as digits; see page(). */
export const PageQuery = Type.Object(
  {
    limit: LimitQuery('Items'),
    offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$', description: 'Items to skip (default 0)' })),
  },
  { additionalProperties: false },
);

/** A page of `Item`s with the total across all pages. */
export const PageOf = <T extends ReturnType<typeof Type.Object>>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer({ description: 'Items across all pages' }),
    limit: Type.Integer(),
    offset: Type.Integer(),
  });

/** The `limit` asked for (see LimitQuery): 100 when absent, refused outside 1 to 500. */
export function pageLimit(limit: string | undefined): number {
  const value = limit === undefined ? defaultLimit : Number(limit);
  if (value < 1 || value > maxLimit) throw new Invalid({ limit: `must be from 1 to ${maxLimit}` });
  return value;
}

/** The page asked for in the query string (see PageQuery). */
export function page(query: { limit?: string | undefined; offset?: string | undefined }): Page {
  return { limit: pageLimit(query.limit), offset: query.offset === undefined ? 0 : Number(query.offset) };
}
