// A supplier acknowledges a case assigned to it, once: the event SUPPLIER_ACKNOWLEDGED (naming the
// supplier, so a supplier assigned later acknowledges for itself) and a mail to the case's analyst.
import { type Principal, requireRole } from '../../../auth/access.ts';
import type { Deps } from '../../../deps.ts';
import { queueMail } from '../../../mail/jobs.ts';
import { Conflict, NotFound } from '../../../platform/errors.ts';
import { recordCaseChanges } from '../../case-events.ts';
import { caseConsoleUrl } from '../../case-webhooks.ts';
import { caseScope } from '../../policy.ts';
import { lockCase } from '../../store.ts';
import * as store from '../store.ts';
import { supplierActedMail } from '../thread-mails.ts';

export async function acknowledgeCase(deps: Deps, principal: Principal, caseId: string): Promise<void> {
  requireRole(principal, 'supplier');
  const supplierId = caseScope(principal) as string;
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    const row = await lockCase(trx, caseId);
    if (!row || row.supplier_id !== supplierId) throw new NotFound('No such case');
    const supplierName = row.supplier_name ?? 'The supplier';
    const already = await store.findSupplierAcknowledgement(trx, caseId, supplierId);
    if (already) {
      throw new Conflict(`${supplierName} already acknowledged ${row.number} on ${already.toISOString()}.`);
    }
    const [eventId] = await recordCaseChanges(trx, principal, caseId, now, [
      { kind: 'SUPPLIER_ACKNOWLEDGED', to: { supplierId, name: supplierName } },
    ]);
    const caseRef = { id: row.id, number: row.number };
    const url = caseConsoleUrl(deps.config.publicUrl, row.id);
    for (const user of await store.staffRecipients(trx, row.assignee_user_id)) {
      const to = { userId: user.id, email: user.email };
      await queueMail(
        trx,
        supplierActedMail({
          to,
          supplierName,
          caseRef,
          url,
          about: `ack-${eventId}`,
          action: 'acknowledged',
        }),
      );
    }
  });
  deps.wakeWorkers();
}
