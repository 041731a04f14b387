// Fleet coverage of a case: for each model the case affects, how many registered devices still run
// an affected version, how many run a fixed one, and how many have not told us their version.
// Devices are counted per (model, installed version) in SQL; each distinct version (there are few)
// is then judged in code with the same range and order code rollouts and cases use.

import type { Db } from '../../db/database.ts';
import { compareVersionPrecedence } from '../../inventory/versions/version-order.ts';
import { parseVersionRange, rangeContains } from '../../inventory/versions/version-range.ts';
import { NotFound } from '../../platform/errors.ts';

export type ModelCoverage = {
  modelId: string;
  modelName: string;
  versionRange: string;
  fixedIn: string | null;
  registered: number;
  exposed: number;
  fixed: number;
  unknown: number;
};

export type CaseCoverage = {
  models: ModelCoverage[];
  totals: { registered: number; exposed: number; fixed: number; unknown: number };
};

type Judge = (version: string) => 'exposed' | 'fixed';

/** Fixed when at or past fixedIn, or outside the affected range; otherwise exposed. */
function compileJudge(versionRange: string, fixedIn: string | null): Judge {
  const range = parseVersionRange(versionRange);
  return (version) => {
    if (fixedIn !== null && compareVersionPrecedence(version, fixedIn) >= 0) return 'fixed';
    return rangeContains(range, version) ? 'exposed' : 'fixed';
  };
}

export async function caseCoverage(db: Db, caseId: string): Promise<CaseCoverage> {
  const found = await db.selectFrom('cases').select('id').where('id', '=', caseId).executeTakeFirst();
  if (!found) throw new NotFound('case');
  const affects = await db
    .selectFrom('case_affects')
    .innerJoin('models', 'models.id', 'case_affects.model_id')
    .select([
      'case_affects.model_id as modelId',
      'models.name as modelName',
      'case_affects.version_range as versionRange',
      'case_affects.fixed_in as fixedIn',
    ])
    .where('case_affects.case_id', '=', caseId)
    .orderBy('models.name')
    .orderBy('case_affects.version_range')
    .execute();
  const modelIds = [...new Set(affects.map((row) => row.modelId))];
  const counts =
    modelIds.length === 0
      ? []
      : await db
          .selectFrom('devices')
          .select([
            'model_id as modelId',
            'installed_version as version',
            db.fn.countAll<string>().as('devices'),
          ])
          .where('model_id', 'in', modelIds)
          .groupBy(['model_id', 'installed_version'])
          .execute();
  const judges = affects.map((affect) => ({
    modelId: affect.modelId,
    judge: compileJudge(affect.versionRange, affect.fixedIn),
  }));
  const models = affects.map((affect, index): ModelCoverage => {
    const coverage = { ...affect, registered: 0, exposed: 0, fixed: 0, unknown: 0 };
    const judge = judges[index]?.judge ?? (() => 'fixed');
    for (const row of counts) {
      if (row.modelId !== affect.modelId) continue;
      const devices = Number(row.devices);
      coverage.registered += devices;
      if (row.version === null) coverage.unknown += devices;
      else coverage[judge(row.version)] += devices;
    }
    return coverage;
  });
  // Totals count each device once: exposed when any range of its model still holds its version.
  const totals = { registered: 0, exposed: 0, fixed: 0, unknown: 0 };
  for (const row of counts) {
    const devices = Number(row.devices);
    totals.registered += devices;
    if (row.version === null) totals.unknown += devices;
    else {
      const version = row.version;
      const exposed = judges.some((j) => j.modelId === row.modelId && j.judge(version) === 'exposed');
      totals[exposed ? 'exposed' : 'fixed'] += devices;
    }
  }
  return { models, totals };
}
