// Replaces what a case affects: models with the firmware version ranges affected and, where known,
// the version that fixes it. Ranges are checked with the inventory's parser; models must exist.
import type { Principal } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { versionProblem } from '../../inventory/inventory-input.ts';
import { parseVersionRange } from '../../inventory/versions/version-range.ts';
import { type FieldErrors, Invalid, NotFound } from '../../platform/errors.ts';
import { recordCaseChanges } from '../case-events.ts';
import { requireCaseWriter } from '../policy.ts';
import * as store from '../store.ts';

export type AffectsInput = { modelId: string; versionRange: string; fixedIn?: string | null | undefined };
type Affect = { modelId: string; versionRange: string; fixedIn: string | null };

function parseAffects(input: AffectsInput[]): Affect[] {
  const fields: FieldErrors = {};
  const seen = new Set<string>();
  const affects = input.map((entry, index) => {
    const versionRange = entry.versionRange.trim();
    try {
      parseVersionRange(versionRange);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      fields[`affects.${index}.versionRange`] = error.fields.range ?? error.message;
    }
    const fixedIn = entry.fixedIn ?? null;
    const fixedProblem = fixedIn === null ? undefined : versionProblem(fixedIn);
    if (fixedProblem) fields[`affects.${index}.fixedIn`] = fixedProblem;
    const key = `${entry.modelId} ${versionRange}`;
    if (seen.has(key)) fields[`affects.${index}`] = 'names the same model and range twice';
    seen.add(key);
    return { modelId: entry.modelId, versionRange, fixedIn };
  });
  if (Object.keys(fields).length > 0) throw new Invalid(fields);
  return affects;
}

const sameAffects = (a: Affect[], b: Affect[]) => JSON.stringify(a) === JSON.stringify(b);

export async function setAffects(
  deps: Deps,
  principal: Principal,
  caseId: string,
  input: AffectsInput[],
): Promise<void> {
  requireCaseWriter(principal);
  const affects = parseAffects(input);
  const known = await store.existingModelIds(deps.db, [...new Set(affects.map((a) => a.modelId))]);
  const unknown: FieldErrors = {};
  affects.forEach((a, index) => {
    if (!known.has(a.modelId)) unknown[`affects.${index}.modelId`] = 'names no model';
  });
  if (Object.keys(unknown).length > 0) throw new Invalid(unknown);
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    if (!(await store.lockCase(trx, caseId))) throw new NotFound('No such case');
    const before = (await store.listCaseAffects(trx, caseId)).map((row) => ({
      modelId: row.model_id,
      versionRange: row.version_range,
      fixedIn: row.fixed_in,
    }));
    const order = (list: Affect[]) =>
      [...list].sort((x, y) =>
        `${x.modelId} ${x.versionRange}`.localeCompare(`${y.modelId} ${y.versionRange}`),
      );
    if (sameAffects(order(before), order(affects))) return;
    await store.replaceCaseAffects(trx, caseId, affects);
    await recordCaseChanges(trx, principal, caseId, now, [
      { kind: 'AFFECTS_CHANGED', from: order(before), to: order(affects) },
    ]);
  });
}
