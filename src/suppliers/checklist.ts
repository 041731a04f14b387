// The contract-safeguards checklist of one supplier: read it with its summary and history, change an
// item's status and terms, attach evidence files. Every change appends a history event and an audit
// entry in the same transaction as the change itself.
import type { Principal } from '../auth/access.ts';
import type { Db } from '../db/database.ts';
import type { Deps } from '../deps.ts';
import type { IncomingFile } from '../intake/service.ts';
import { type AuditActor, actorId, appendAudit } from '../platform/audit.ts';
import { Forbidden, Invalid, NotFound } from '../platform/errors.ts';
import { mayAddEvidence } from './policy.ts';
import {
  findSafeguardItem,
  type SafeguardItem,
  type SafeguardState,
  type SafeguardStatus,
  type SafeguardSummary,
  safeguardCatalogue,
  safeguardKeys,
  safeguardStateProblems,
  summarizeSafeguards,
  unrecordedState,
} from './safeguards.ts';
import { getVisibleSupplier, requireManager, type SupplierDeps } from './service.ts';
import * as store from './store.ts';

export type ChecklistEntry = {
  item: SafeguardItem;
  state: SafeguardState;
  updatedBy: string | null;
  updatedAt: Date | null;
};

export type Checklist = {
  supplier: store.SupplierRow;
  summary: SafeguardSummary;
  entries: ChecklistEntry[];
};

export type SafeguardUpdate = {
  status: SafeguardStatus;
  /** Omitted fields keep their current value; null clears a field. */
  termsDays?: number | null | undefined;
  date?: string | null | undefined;
  evidenceUrl?: string | null | undefined;
  note?: string | undefined;
  /** Detaches the current evidence file (it stays downloadable from the history). */
  removeEvidenceFile?: boolean | undefined;
};

export const maxNoteLength = 4000;

const stateOf = (row: store.SafeguardRow | undefined): SafeguardState =>
  row
    ? {
        status: row.status,
        termsDays: row.terms_days,
        date: row.status_date,
        evidenceUrl: row.evidence_url,
        evidenceFile:
          row.evidence_sha256 && row.evidence_file_name
            ? { sha256: row.evidence_sha256, fileName: row.evidence_file_name }
            : null,
        note: row.note,
      }
    : unrecordedState;

function itemOrNotFound(itemKey: string): SafeguardItem {
  const item = findSafeguardItem(itemKey);
  if (!item) throw new NotFound(`No safeguard "${itemKey}"; the checklist has ${safeguardKeys.join(', ')}.`);
  return item;
}

/** How a change's author is shown in the history. */
export function actorLabelOf(actor: AuditActor): string {
  if (typeof actor === 'string') return actor;
  return `${actor.name} <${actor.email}>${actor.via === 'token' ? ' (API token)' : ''}`;
}

export async function getChecklist(
  deps: SupplierDeps,
  principal: Principal,
  supplierId: string,
): Promise<Checklist> {
  const supplier = await getVisibleSupplier(deps, principal, supplierId);
  const rows = new Map((await store.listSafeguards(deps.db, [supplierId])).map((row) => [row.item_key, row]));
  const entries = safeguardCatalogue.map((item) => {
    const row = rows.get(item.key);
    return {
      item,
      state: stateOf(row),
      updatedBy: row?.updated_by_label ?? null,
      updatedAt: row?.updated_at ?? null,
    };
  });
  const statuses = new Map(entries.map((entry) => [entry.item.key, entry.state.status]));
  return { supplier, summary: summarizeSafeguards(statuses), entries };
}

export async function getSafeguardHistory(
  deps: SupplierDeps,
  principal: Principal,
  supplierId: string,
  itemKey: string | null,
): Promise<store.SafeguardEventRow[]> {
  await getVisibleSupplier(deps, principal, supplierId);
  if (itemKey !== null) itemOrNotFound(itemKey);
  return store.listSafeguardEvents(deps.db, supplierId, itemKey);
}

// ---- changing an item -----------------------------------------------------------------------

function parseUpdate(update: SafeguardUpdate, today: string): Record<string, string> {
  const problems: Record<string, string> = {};
  if (update.date !== undefined && update.date !== null) {
    const parsed = new Date(`${update.date}T00:00:00Z`);
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(update.date) ||
      Number.isNaN(parsed.getTime()) ||
      parsed.toISOString().slice(0, 10) !== update.date
    ) {
      problems.date = 'must be a date as YYYY-MM-DD';
    } else if (update.date > today) {
      problems.date = 'cannot be in the future: record the day it was requested, agreed or verified';
    }
  }
  if (update.evidenceUrl !== undefined && update.evidenceUrl !== null) {
    let url: URL | undefined;
    try {
      url = new URL(update.evidenceUrl);
    } catch {}
    if (!url || !['https:', 'http:'].includes(url.protocol)) {
      problems.evidenceUrl =
        'must be an http or https link, e.g. to the signed contract in your document store';
    } else if (update.evidenceUrl.length > 2000) problems.evidenceUrl = 'must be at most 2000 characters';
  }
  if (update.note !== undefined && update.note.length > maxNoteLength) {
    problems.note = `must be at most ${maxNoteLength} characters`;
  }
  return problems;
}

function applyUpdate(current: SafeguardState, update: SafeguardUpdate): SafeguardState {
  return {
    status: update.status,
    termsDays: update.termsDays !== undefined ? update.termsDays : current.termsDays,
    date: update.date !== undefined ? update.date : current.date,
    evidenceUrl: update.evidenceUrl !== undefined ? update.evidenceUrl?.trim() || null : current.evidenceUrl,
    evidenceFile: update.removeEvidenceFile ? null : current.evidenceFile,
    note: update.note !== undefined ? update.note.trim() : current.note,
  };
}

/** Every field whose value differs, as { from, to }. */
function changesBetween(before: SafeguardState, after: SafeguardState) {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of Object.keys(after) as (keyof SafeguardState)[]) {
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) {
      changes[field] = { from: before[field], to: after[field] };
    }
  }
  return changes;
}

/** Sets an item's status and terms (admin, analyst). Nothing is written when nothing changes. */
export async function updateSafeguard(
  deps: SupplierDeps,
  principal: Principal,
  supplierId: string,
  itemKey: string,
  update: SafeguardUpdate,
): Promise<Checklist> {
  await getVisibleSupplier(deps, principal, supplierId);
  const item = itemOrNotFound(itemKey);
  requireManager(principal);
  await recordSafeguard(deps, principal, supplierId, item, update);
  return getChecklist(deps, principal, supplierId);
}

/**
 * Writes one item's new state with its history event and audit entry; for callers that have
 * already checked access (the update route, the demo seed).
 */
export async function recordSafeguard(
  deps: SupplierDeps,
  actor: AuditActor,
  supplierId: string,
  item: SafeguardItem,
  update: SafeguardUpdate,
): Promise<void> {
  const now = deps.clock();
  const problems = parseUpdate(update, now.toISOString().slice(0, 10));
  if (Object.keys(problems).length > 0) throw new Invalid(problems);
  await deps.db.transaction().execute(async (trx) => {
    const current = stateOf(await store.findSafeguardForUpdate(trx, supplierId, item.key));
    const next = applyUpdate(current, update);
    const nextProblems = safeguardStateProblems(item, next);
    if (Object.keys(nextProblems).length > 0) {
      throw new Invalid(nextProblems, `"${item.title}" cannot be ${next.status} yet`);
    }
    const changes = changesBetween(current, next);
    if (Object.keys(changes).length === 0) return;
    await writeState(trx, { supplierId, item, state: next, actor, now, kind: 'changed', changes });
  });
}

async function writeState(
  trx: Db,
  change: {
    supplierId: string;
    item: SafeguardItem;
    state: SafeguardState;
    actor: AuditActor;
    now: Date;
    kind: 'changed' | 'evidence-uploaded';
    changes: Record<string, { from: unknown; to: unknown }>;
  },
): Promise<void> {
  const { supplierId, item, state, actor, now, kind, changes } = change;
  const actorLabel = actorLabelOf(actor);
  await store.upsertSafeguard(trx, {
    supplier_id: supplierId,
    item_key: item.key,
    status: state.status,
    terms_days: state.termsDays,
    status_date: state.date,
    evidence_url: state.evidenceUrl,
    evidence_sha256: state.evidenceFile?.sha256 ?? null,
    evidence_file_name: state.evidenceFile?.fileName ?? null,
    note: state.note,
    updated_by: actorId(actor),
    updated_by_label: actorLabel,
    updated_at: now,
  });
  await store.insertSafeguardEvent(trx, {
    supplier_id: supplierId,
    item_key: item.key,
    kind,
    changes,
    actor: actorId(actor),
    actor_label: actorLabel,
    at: now,
  });
  await appendAudit(trx, {
    actor,
    action: kind === 'changed' ? 'SUPPLIER_SAFEGUARD_CHANGED' : 'SUPPLIER_EVIDENCE_UPLOADED',
    subjectType: 'supplier',
    subjectId: supplierId,
    detail: { item: item.key, changes },
    at: now,
  });
}

// ---- evidence files -------------------------------------------------------------------------

/** Checks, before any byte is received, that the principal may attach evidence to this item. */
export async function checkEvidenceUpload(
  deps: SupplierDeps,
  principal: Principal,
  supplierId: string,
  itemKey: string,
): Promise<SafeguardItem> {
  await getVisibleSupplier(deps, principal, supplierId);
  const item = itemOrNotFound(itemKey);
  if (!mayAddEvidence(principal, supplierId)) {
    throw new Forbidden('Only the maker and the supplier itself add evidence to its checklist.');
  }
  return item;
}

/**
 * Makes a received file the item's current evidence; its status stays as the maker set it. The file
 * is stored content-addressed; an earlier file stays downloadable through the history.
 */
export async function attachEvidence(
  deps: Pick<Deps, 'db' | 'clock' | 'blobs'>,
  principal: Principal,
  supplierId: string,
  itemKey: string,
  file: IncomingFile,
): Promise<Checklist> {
  const item = await checkEvidenceUpload(deps, principal, supplierId, itemKey);
  if (file.size === 0) throw new Invalid({ file: 'is empty' });
  await deps.blobs.commit(file);
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    await store.insertEvidenceFile(trx, {
      supplier_id: supplierId,
      item_key: item.key,
      sha256: file.sha256,
      file_name: file.fileName,
      declared_type: file.declaredType,
      size: file.size,
      uploaded_by: actorId(principal),
      uploaded_by_label: actorLabelOf(principal),
      uploaded_at: now,
    });
    const current = stateOf(await store.findSafeguardForUpdate(trx, supplierId, item.key));
    const next = { ...current, evidenceFile: { sha256: file.sha256, fileName: file.fileName } };
    const changes = changesBetween(current, next);
    if (Object.keys(changes).length === 0) return;
    await writeState(trx, {
      supplierId,
      item,
      state: next,
      actor: principal,
      now,
      kind: 'evidence-uploaded',
      changes,
    });
  });
  return getChecklist(deps, principal, supplierId);
}

/** An evidence file ever attached to this item, for a principal who may see the supplier. */
export async function getEvidenceFile(
  deps: SupplierDeps,
  principal: Principal,
  supplierId: string,
  itemKey: string,
  sha256: string,
): Promise<store.EvidenceFileRow> {
  await getVisibleSupplier(deps, principal, supplierId);
  itemOrNotFound(itemKey);
  const file = /^[0-9a-f]{64}$/.test(sha256)
    ? await store.findEvidenceFile(deps.db, supplierId, itemKey, sha256)
    : undefined;
  if (!file) throw new NotFound('No such evidence file for this safeguard.');
  return file;
}
