// Shared by the inventory routes: who may call them (services check the roles again and scope
// suppliers), their OpenAPI tag, and paging.
import type { Access } from '../../auth/access.ts';
import { Invalid } from '../../platform/errors.ts';
import type { Page } from '../store.ts';

export const readers: Access = { roles: ['admin', 'analyst', 'auditor', 'supplier'] };
export const writers: Access = { roles: ['admin', 'analyst'] };
export const sbomUploaders: Access = { roles: ['admin', 'analyst', 'supplier'] };

export const tags = ['inventory'];

/** The page asked for in the query string (see PageQuery). */
export function page(query: { limit?: string | undefined; offset?: string | undefined }): Page {
  const limit = query.limit === undefined ? 100 : Number(query.limit);
  if (limit < 1 || limit > 500) throw new Invalid({ limit: 'must be from 1 to 500' });
  return { limit, offset: query.offset === undefined ? 0 : Number(query.offset) };
}
