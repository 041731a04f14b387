// Admins change the response policy: the edit is checked field by field, stored over the current
// policy, and the fields that really changed go to the audit log with from and to, in one transaction.
import { type Principal, requireRole } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { appendAudit } from '../../platform/audit.ts';
import {
  checkResponsePolicy,
  loadResponsePolicy,
  type ResponsePolicy,
  saveResponsePolicy,
} from '../clocks/response-policy.ts';

export async function setResponsePolicy(
  deps: Pick<Deps, 'db' | 'clock'>,
  principal: Principal,
  edit: Record<string, unknown>,
  ip: string | null = null,
): Promise<ResponsePolicy> {
  requireRole(principal, 'admin');
  const changes = checkResponsePolicy(edit);
  const at = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const before = await loadResponsePolicy(trx);
    const changed = Object.fromEntries(
      Object.entries(changes)
        .filter(([key, to]) => JSON.stringify(before[key as keyof ResponsePolicy]) !== JSON.stringify(to))
        .map(([key, to]) => [key, { from: before[key as keyof ResponsePolicy], to }]),
    );
    if (Object.keys(changed).length === 0) return before;
    const after = await saveResponsePolicy(trx, changes, at);
    await appendAudit(trx, {
      actor: principal,
      action: 'RESPONSE_POLICY_CHANGED',
      subjectType: 'settings',
      subjectId: 'response_policy',
      detail: changed,
      ip,
      at,
    });
    return after;
  });
}
