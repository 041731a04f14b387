// Who reads and writes which thread of a case. Internal notes are for staff only; the supplier
// thread is for staff and the users of the case's supplier. Anyone else gets NotFound, never
// Forbidden, so a supplier cannot even learn that a thread or case exists.
import type { Access, Principal, Role } from '../../auth/access.ts';
import type { Db } from '../../db/database.ts';
import type { CaseThreadColumn } from '../../db/schema.ts';
import { Forbidden, NotFound } from '../../platform/errors.ts';
import { caseScope } from '../policy.ts';
import { type CaseRow, findCase } from '../store.ts';

export type ThreadName = CaseThreadColumn;
export const threadNames: readonly ThreadName[] = ['supplier', 'internal'];

const readerRoles: Record<ThreadName, readonly Role[]> = {
  supplier: ['admin', 'analyst', 'auditor', 'supplier'],
  internal: ['admin', 'analyst', 'auditor'],
};
const writerRoles: Record<ThreadName, readonly Role[]> = {
  supplier: ['admin', 'analyst', 'supplier'],
  internal: ['admin', 'analyst'],
};

/** Route declarations: the union over both threads; the service narrows per thread. */
export const threadReaders: Access = { roles: readerRoles.supplier };
export const threadWriters: Access = { roles: writerRoles.supplier };
/** Only a supplier's own users acknowledge a case for it. */
export const supplierAcknowledgers: Access = { roles: ['supplier'] };

/** What a principal may open of one thread: the case, and (for suppliers) whose messages. */
export type OpenedThread = {
  row: CaseRow;
  thread: ThreadName;
  /** For supplier principals: only messages written while this supplier was assigned. */
  supplierScope: string | null;
};

/**
 * The case and thread the principal may read (or, with `write`, post to); NotFound when the case
 * lies outside the principal's sight or the thread is not theirs to see.
 */
export async function openThread(
  db: Db,
  principal: Principal,
  caseId: string,
  thread: ThreadName,
  mode: 'read' | 'write',
): Promise<OpenedThread> {
  const scope = caseScope(principal);
  const row = await findCase(db, caseId, scope);
  if (!row || !readerRoles[thread].includes(principal.role)) throw new NotFound('No such case or thread');
  if (mode === 'write' && !writerRoles[thread].includes(principal.role)) {
    throw new Forbidden(`Your role (${principal.role}) may not write in the ${thread} thread.`);
  }
  return { row, thread, supplierScope: scope };
}
