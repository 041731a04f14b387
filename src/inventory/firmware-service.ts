// Firmware versions of a model, kept in version order by their sort key (see versions/version-order.ts).
// A supplier reads the firmware of its own models; admins and analysts create and change it, audited.
import { type Principal, requireRole, supplierScope } from '../auth/access.ts';
import { isUniqueViolation } from '../db/database.ts';
import type { Deps } from '../deps.ts';
import { appendAudit } from '../platform/audit.ts';
import { Conflict, Invalid, NotFound } from '../platform/errors.ts';
import type { Page } from '../platform/paging.ts';
import { dateProblem, FieldProblems, limits, textProblem, versionProblem } from './inventory-input.ts';
import { getModel } from './model-service.ts';
import { changedFields, writers } from './product-service.ts';
import * as store from './store.ts';
import { versionSortKey } from './versions/version-order.ts';

export type FirmwareInput = {
  version: string;
  releaseDate?: string | null | undefined;
  notes?: string | undefined;
};
export type FirmwareChanges = Partial<FirmwareInput>;

function checkFirmware(input: FirmwareChanges): void {
  const problems = new FieldProblems();
  if (input.version !== undefined) problems.check('version', versionProblem(input.version));
  if (input.releaseDate !== undefined && input.releaseDate !== null) {
    problems.check('releaseDate', dateProblem(input.releaseDate));
  }
  if (input.notes !== undefined) problems.check('notes', textProblem(input.notes, limits.notes));
  if (!problems.empty) throw new Invalid(problems.fields);
}

/** Firmware versions of a model, oldest version first. */
export async function listFirmware(deps: Deps, principal: Principal, modelId: string, page: Page) {
  await getModel(deps, principal, modelId);
  return store.listFirmware(deps.db, modelId, supplierScope(principal), page);
}

export async function getFirmware(deps: Deps, principal: Principal, id: string): Promise<store.FirmwareRow> {
  const firmware = await store.findFirmware(deps.db, id, supplierScope(principal));
  if (!firmware) throw new NotFound('No such firmware version');
  return firmware;
}

const versionTaken = (version: string) =>
  new Conflict(`This model has a firmware version "${version}" already`);

export async function createFirmware(
  deps: Deps,
  principal: Principal,
  modelId: string,
  input: FirmwareInput,
): Promise<store.FirmwareRow> {
  requireRole(principal, ...writers);
  await getModel(deps, principal, modelId);
  checkFirmware(input);
  const values: store.FirmwareValues = {
    version: input.version,
    versionKey: versionSortKey(input.version),
    releaseDate: input.releaseDate ?? null,
    notes: input.notes ?? '',
  };
  const id = await deps.db
    .transaction()
    .execute(async (trx) => {
      if (await store.findFirmwareIdByVersion(trx, modelId, values.version))
        throw versionTaken(values.version);
      const id = await store.insertFirmware(trx, modelId, values);
      await appendAudit(trx, {
        actor: principal,
        action: 'FIRMWARE_CREATED',
        subjectType: 'firmware',
        subjectId: id,
        detail: { modelId, version: values.version, releaseDate: values.releaseDate },
        at: deps.clock(),
      });
      return id;
    })
    .catch((error: unknown) => {
      throw isUniqueViolation(error) ? versionTaken(values.version) : error;
    });
  return getFirmware(deps, principal, id);
}

export async function updateFirmware(
  deps: Deps,
  principal: Principal,
  id: string,
  changes: FirmwareChanges,
): Promise<store.FirmwareRow> {
  requireRole(principal, ...writers);
  checkFirmware(changes);
  const values: Partial<store.FirmwareValues> = {
    ...changes,
    ...(changes.version !== undefined ? { versionKey: versionSortKey(changes.version) } : {}),
  };
  await deps.db
    .transaction()
    .execute(async (trx) => {
      const before = await store.findFirmware(trx, id, null);
      if (!before) throw new NotFound('No such firmware version');
      if (changes.version !== undefined && changes.version !== before.version) {
        if (await store.findFirmwareIdByVersion(trx, before.model_id, changes.version)) {
          throw versionTaken(changes.version);
        }
      }
      await store.updateFirmware(trx, id, values, deps.clock());
      await appendAudit(trx, {
        actor: principal,
        action: 'FIRMWARE_UPDATED',
        subjectType: 'firmware',
        subjectId: id,
        detail: changedFields(before as unknown as Record<string, unknown>, changes, {
          releaseDate: 'release_date',
        }),
        at: deps.clock(),
      });
    })
    .catch((error: unknown) => {
      throw isUniqueViolation(error) ? versionTaken(changes.version ?? '') : error;
    });
  return getFirmware(deps, principal, id);
}
