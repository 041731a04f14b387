// The authorization contract every feature codes against: roles, the signed-in principal, what a
// route declares (`config.access`), and the checks services make on objects (supplier ownership).
import { Forbidden } from '../platform/errors.ts';

export type Role = 'admin' | 'analyst' | 'supplier' | 'auditor';

export const roles: readonly Role[] = ['admin', 'analyst', 'supplier', 'auditor'];

/** Who is making a request: a user through a browser session, or an API token acting as a role. */
export type Principal = {
  userId: string;
  email: string;
  name: string;
  /** For a token: the role the token acts as (never more than its user's role). */
  role: Role;
  supplierId: string | null;
  via: 'session' | 'token';
  tokenId: string | null;
};

/**
 * What a route declares in `config.access`: `'public'` (no sign-in; `request.principal` is null), or
 * the roles allowed. A route without a declaration makes the server refuse to start.
 *
 * @example app.get('/api/v1/models', { config: { access: { roles: ['admin', 'analyst', 'supplier'] } } }, …)
 */
export type Access = 'public' | { roles: readonly Role[] };

/** Every signed-in role; for routes any account may call (its own profile, its own tokens). */
export const signedIn: Access = { roles };

export const isRole = (value: unknown): value is Role => roles.includes(value as Role);

/**
 * For supplier principals: the supplier whose objects they may see; null means no restriction.
 * Services filter by it and answer NotFound (never Forbidden) for another supplier's object, so
 * that a supplier cannot even learn that the object exists.
 *
 * @example const scope = supplierScope(principal); if (scope && model.supplier_id !== scope) throw new NotFound('No such model');
 */
export function supplierScope(principal: Principal): string | null {
  if (principal.role !== 'supplier') return null;
  // A supplier account without a supplier sees nothing: scope it to an id no object has.
  return principal.supplierId ?? '00000000-0000-0000-0000-000000000000';
}

/** For services: throws Forbidden unless the principal has one of the roles. */
export function requireRole(principal: Principal | null, ...allowed: Role[]): Principal {
  if (!principal || !allowed.includes(principal.role)) {
    throw new Forbidden(`This needs one of the roles ${allowed.join(', ')}.`);
  }
  return principal;
}

/** Roles an API token of a user with `role` may act as (a token never has more rights than its user). */
export function tokenRolesFor(role: Role): readonly Role[] {
  switch (role) {
    case 'admin':
      return roles;
    case 'analyst':
      return ['analyst', 'auditor'];
    case 'supplier':
      return ['supplier'];
    case 'auditor':
      return ['auditor'];
  }
}
