// Changes a case's fields (title, summary, analyst, supplier, CVSS, CWE, the dates its clocks run on,
// see case-dates.ts): one event per field that really changed, and an audit entry for assignments,
// since they decide who sees the case.
import type { Principal } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { appendAudit } from '../../platform/audit.ts';
import { type FieldErrors, Invalid, NotFound } from '../../platform/errors.ts';
import { type CaseChange, recordCaseChanges } from '../case-events.ts';
import { requireCaseWriter } from '../policy.ts';
import { type CaseCvss, caseCvss, parseCweId } from '../severity.ts';
import * as store from '../store.ts';
import { type CaseDateChanges, dateChanges, parseCaseDates } from './case-dates.ts';

export type CaseChanges = {
  title?: string | undefined;
  summary?: string | undefined;
  assigneeUserId?: string | null | undefined;
  supplierId?: string | null | undefined;
  cvssVector?: string | null | undefined;
  cweId?: string | null | undefined;
} & CaseDateChanges;

type Parsed = {
  title?: string;
  summary?: string;
  cvss?: CaseCvss | null;
  cweId?: string | null;
};

function parseChanges(changes: CaseChanges): Parsed {
  const fields: FieldErrors = {};
  const parsed: Parsed = {};
  const attempt = (run: () => void) => {
    try {
      run();
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      Object.assign(fields, error.fields);
    }
  };
  if (changes.title !== undefined) {
    const title = changes.title.trim();
    if (!title) fields.title = 'must not be empty';
    else parsed.title = title;
  }
  if (changes.summary !== undefined) parsed.summary = changes.summary;
  if (changes.cvssVector !== undefined) {
    const vector = changes.cvssVector;
    attempt(() => {
      parsed.cvss = vector === null ? null : caseCvss(vector);
    });
  }
  if (changes.cweId !== undefined) {
    const cwe = changes.cweId;
    attempt(() => {
      parsed.cweId = cwe === null ? null : parseCweId(cwe);
    });
  }
  if (Object.keys(fields).length > 0) throw new Invalid(fields);
  return parsed;
}

const cvssOf = (row: store.CaseRow) =>
  row.cvss_vector === null
    ? null
    : {
        vector: row.cvss_vector,
        version: row.cvss_version,
        score: row.cvss_score,
        severity: row.cvss_severity,
      };

export async function updateCase(
  deps: Deps,
  principal: Principal,
  caseId: string,
  changes: CaseChanges,
): Promise<void> {
  requireCaseWriter(principal);
  const parsed = parseChanges(changes);
  const dates = parseCaseDates(changes);
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    const before = await store.lockCase(trx, caseId);
    if (!before) throw new NotFound('No such case');
    const values: store.CaseColumns = {};
    const events: CaseChange[] = [];
    const audits: { action: string; detail: Record<string, unknown> }[] = [];

    if (parsed.title !== undefined && parsed.title !== before.title) {
      values.title = parsed.title;
      events.push({ kind: 'TITLE_CHANGED', from: before.title, to: parsed.title });
    }
    if (parsed.summary !== undefined && parsed.summary !== before.summary) {
      values.summary = parsed.summary;
      events.push({ kind: 'SUMMARY_CHANGED', from: before.summary, to: parsed.summary });
    }
    if (parsed.cvss !== undefined && (parsed.cvss?.vector ?? null) !== before.cvss_vector) {
      const cvss = parsed.cvss;
      values.cvss_vector = cvss?.vector ?? null;
      values.cvss_version = cvss?.version ?? null;
      values.cvss_score = cvss?.score ?? null;
      values.cvss_severity = cvss?.severity ?? null;
      events.push({ kind: 'CVSS_CHANGED', from: cvssOf(before), to: cvss });
    }
    if (parsed.cweId !== undefined && parsed.cweId !== before.cwe_id) {
      values.cwe_id = parsed.cweId;
      events.push({ kind: 'CWE_CHANGED', from: before.cwe_id, to: parsed.cweId });
    }
    const assignee = changes.assigneeUserId;
    if (assignee !== undefined && assignee !== before.assignee_user_id) {
      const user = assignee === null ? null : await store.findAssignableUser(trx, assignee);
      if (user === undefined) {
        throw new Invalid({ assigneeUserId: 'must be an enabled admin or analyst account' });
      }
      values.assignee_user_id = assignee;
      const from = before.assignee_user_id && { userId: before.assignee_user_id, name: before.assignee_name };
      const to = user && { userId: user.id, name: user.name };
      events.push({ kind: 'ASSIGNEE_CHANGED', from, to });
      audits.push({ action: 'CASE_ASSIGNEE_CHANGED', detail: { from, to } });
    }
    const supplier = changes.supplierId;
    if (supplier !== undefined && supplier !== before.supplier_id) {
      const name = supplier === null ? null : await store.findSupplierName(trx, supplier);
      if (name === undefined) throw new Invalid({ supplierId: 'names no supplier' });
      values.supplier_id = supplier;
      const from = before.supplier_id && { supplierId: before.supplier_id, name: before.supplier_name };
      const to = supplier && { supplierId: supplier, name };
      events.push({ kind: 'SUPPLIER_CHANGED', from, to });
      // Permission-relevant: the supplier's users gain (or lose) sight of the case.
      audits.push({ action: 'CASE_SUPPLIER_CHANGED', detail: { from, to } });
    }
    const dated = dateChanges(before, dates);
    Object.assign(values, dated.values);
    events.push(...dated.events);
    if (events.length === 0) return;
    await store.updateCase(trx, caseId, values, now);
    await recordCaseChanges(trx, principal, caseId, now, events);
    for (const audit of audits) {
      await appendAudit(trx, { actor: principal, subjectType: 'case', subjectId: caseId, at: now, ...audit });
    }
  });
}
