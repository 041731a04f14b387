// Admins change the response policy: the edit is checked field by field, stored over the current
// policy, and the fields that really changed go to the audit log with from and to, in one transaction
// that also queues the refresh of every case's next deadline (in batches, inbox/next-due-refresh.ts).
import { type Principal, requireRole } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { appendAudit } from '../../platform/audit.ts';
import {
  checkResponsePolicy,
  loadResponsePolicy,
  type ResponsePolicy,
  saveResponsePolicy,
} from '../clocks/response-policy.ts';
import { queueNextDueRefresh } from '../inbox/next-due-refresh.ts';

export async function setResponsePolicy(
  deps: Pick<Deps, 'db' | 'clock' | 'wakeWorkers'>,
  principal: Principal,
  edit: Record<string, unknown>,
  ip: string | null = null,
): Promise<ResponsePolicy> {
  requireRole(principal, 'admin');
  const changes = checkResponsePolicy(edit);
  const at = deps.clock();
  const saved = await deps.db.transaction().execute(async (trx) => {
    const before = await loadResponsePolicy(trx);
    const changed = Object.fromEntries(
      Object.entries(changes)
        .filter(([key, to]) => JSON.stringify(before[key as keyof ResponsePolicy]) !== JSON.stringify(to))
        .map(([key, to]) => [key, { from: before[key as keyof ResponsePolicy], to }]),
    );
    if (Object.keys(changed).length === 0) return { policy: before, changed: false };
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
    await queueNextDueRefresh(trx, 'with-deadline', at);
    return { policy: after, changed: true };
  });
  if (saved.changed) deps.wakeWorkers();
  return saved.policy;
}
