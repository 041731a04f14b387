// Who may do what to cases: staff (admin, analyst) change them; auditors read everything; a supplier
// reads only the cases assigned to its supplier, in a reduced view.

import type { Access } from '../auth/access.ts';
import { type Principal, type Role, requireRole, supplierScope } from '../auth/access.ts';

export const caseReaders: Access = { roles: ['admin', 'analyst', 'auditor', 'supplier'] };
export const caseWriters: Access = { roles: ['admin', 'analyst'] };
/** Staff who read everything: the response policy, the overdue view. */
export const staffReaders: Access = { roles: ['admin', 'analyst', 'auditor'] };
/** Raw reports hold the reporter's identity: staff only. */
export const reportReaders: Access = { roles: ['admin', 'analyst', 'auditor'] };

const writerRoles: Role[] = ['admin', 'analyst'];

/** Throws Forbidden unless the principal may change cases. */
export const requireCaseWriter = (principal: Principal) => requireRole(principal, ...writerRoles);

/** The supplier whose cases the principal may see, or null for every case. */
export const caseScope = (principal: Principal): string | null => supplierScope(principal);

/** Whether the principal sees internal fields (reporters, assignee, event actors and reasons). */
export const seesInternals = (principal: Principal) => principal.role !== 'supplier';
