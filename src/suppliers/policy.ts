// Who may do what to which supplier. Staff (admin, analyst) manage suppliers and their checklist;
// auditors read everything; a supplier's users read only their own supplier and may add evidence to
// its checklist, but never change a status: the maker decides what is agreed or verified.
import { type Principal, supplierScope } from '../auth/access.ts';

/** Route declarations (`config.access`); services check the object with the functions below. */
export const readers = { roles: ['admin', 'analyst', 'auditor', 'supplier'] } as const;
export const managers = { roles: ['admin', 'analyst'] } as const;
export const evidenceUploaders = { roles: ['admin', 'analyst', 'supplier'] } as const;

/** The principal of a route that is not public (the access layer has set it). */
export const principalOf = (request: { principal: Principal | null }): Principal =>
  request.principal as Principal;

/** False for another supplier's record: callers answer NotFound so that it stays invisible. */
export function maySeeSupplier(principal: Principal, supplierId: string): boolean {
  const scope = supplierScope(principal);
  return scope === null || scope === supplierId;
}

/** Create suppliers, edit their record and model links, and change checklist statuses and terms. */
export const mayManageSuppliers = (principal: Principal): boolean =>
  principal.role === 'admin' || principal.role === 'analyst';

/** Attach an evidence file to a checklist item (the item's status stays as the maker set it). */
export const mayAddEvidence = (principal: Principal, supplierId: string): boolean =>
  mayManageSuppliers(principal) || (principal.role === 'supplier' && principal.supplierId === supplierId);
