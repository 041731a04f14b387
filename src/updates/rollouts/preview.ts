// How many registered devices a rollout would select, and how many each stage would reach. Cohorts
// depend on the rollout's id, so before it exists each stage's count is the selected devices times
// its percent (the cohorts of 10,000 buckets follow that proportion closely).
import { type Principal, requireRole } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { Invalid } from '../../platform/errors.ts';
import { findRelease } from '../releases/store.ts';
import { compileDeviceMatcher } from './device-match.ts';
import { checkRolloutInput, type RolloutInput } from './rollout-spec.ts';
import { devicesOfModel } from './store.ts';

export type RolloutPreview = { selected: number; stages: { percent: number; devices: number }[] };

export async function previewRollout(
  deps: Deps,
  principal: Principal,
  input: Pick<RolloutInput, 'releaseId' | 'selector' | 'stages'>,
): Promise<RolloutPreview> {
  requireRole(principal, 'admin', 'analyst');
  const release = await findRelease(deps.db, input.releaseId, null);
  if (!release) throw new Invalid({ releaseId: 'names no release' });
  const spec = checkRolloutInput(
    { ...input, failureThreshold: 100, minReportsBeforeHalt: 1, mode: 'soft' },
    { hardwareRevisions: release.hardware_revisions, state: release.state },
  );
  const matches = compileDeviceMatcher(
    {
      modelId: release.model_id,
      version: release.version,
      hardwareRevisions: release.hardware_revisions,
      installOver: release.install_over,
    },
    spec.selector,
  );
  const selected = (await devicesOfModel(deps.db, release.model_id)).filter(matches).length;
  return {
    selected,
    stages: spec.stages.map((stage) => ({
      percent: stage.percent,
      devices: Math.round((selected * stage.percent) / 100),
    })),
  };
}
