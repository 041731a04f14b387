// What a rollout is made of, and the checks of a new one against its release. Pure: the command
// that creates a rollout loads the release and hands it in.
import { FieldProblems } from '../../inventory/inventory-input.ts';
import { parseVersionRange } from '../../inventory/versions/version-range.ts';
import { Invalid } from '../../platform/errors.ts';
import type { InstallMode } from '../director/instruction.ts';

export type RolloutSelector = {
  /** A subset of the release's hardware revisions; empty means all of them. */
  hardwareRevisions: string[];
  /** Installed versions to reach, intersected with the release's installOver; '*' for all. */
  installedVersions: string;
  /** A device is selected when it carries at least one of these tags (empty: no condition). */
  tags: string[];
  /** IANA zones of devices' regions (empty: no condition). */
  regions: string[];
};

export type RolloutStage = { percent: number; minMinutes: number; minReports: number };

/** Local times in the device's region, 'HH:MM'; end before start spans midnight. */
export type MaintenanceWindow = { start: string; end: string };

export type RolloutSpec = {
  releaseId: string;
  selector: RolloutSelector;
  stages: RolloutStage[];
  /** Percent of a stage's install reports that may fail before it halts. */
  failureThreshold: number;
  minReportsBeforeHalt: number;
  mode: InstallMode;
  maintenanceWindow: MaintenanceWindow | null;
};

export type RolloutInput = Omit<RolloutSpec, 'selector' | 'maintenanceWindow'> & {
  selector?: Partial<RolloutSelector> | undefined;
  maintenanceWindow?: MaintenanceWindow | null | undefined;
};

export type ReleaseFacts = { hardwareRevisions: string[]; state: string };

const clock = /^([01]\d|2[0-3]):[0-5]\d$/;

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Checks a new rollout against its release; returns the complete spec or throws Invalid/…. */
export function checkRolloutInput(input: RolloutInput, release: ReleaseFacts): RolloutSpec {
  const problems = new FieldProblems();
  const selector: RolloutSelector = {
    hardwareRevisions: [...new Set(input.selector?.hardwareRevisions ?? [])],
    installedVersions: (input.selector?.installedVersions ?? '*').trim(),
    tags: [...new Set(input.selector?.tags ?? [])],
    regions: [...new Set(input.selector?.regions ?? [])],
  };
  const foreign = selector.hardwareRevisions.filter((r) => !release.hardwareRevisions.includes(r));
  if (foreign.length > 0) {
    problems.check(
      'selector.hardwareRevisions',
      `${foreign.map((r) => `"${r}"`).join(', ')} not built for by this release (it runs on ${release.hardwareRevisions.map((r) => `"${r}"`).join(', ')})`,
    );
  }
  try {
    parseVersionRange(selector.installedVersions);
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    problems.check('selector.installedVersions', error.fields.range ?? error.message);
  }
  const badZones = selector.regions.filter((zone) => !isTimeZone(zone));
  if (badZones.length > 0) {
    problems.check('selector.regions', `not an IANA time zone: ${badZones.join(', ')}`);
  }
  problems.check('stages', stagesProblem(input.stages));
  const window = input.maintenanceWindow ?? null;
  if (window && (!clock.test(window.start) || !clock.test(window.end) || window.start === window.end)) {
    problems.check(
      'maintenanceWindow',
      'start and end are different local times such as "01:00" and "05:00"',
    );
  }
  if (!problems.empty) throw new Invalid(problems.fields);
  return {
    releaseId: input.releaseId,
    selector,
    stages: input.stages,
    failureThreshold: input.failureThreshold,
    minReportsBeforeHalt: input.minReportsBeforeHalt,
    mode: input.mode,
    maintenanceWindow: window,
  };
}

function stagesProblem(stages: RolloutStage[]): string | undefined {
  if (stages.length === 0) return 'name at least one stage';
  for (let index = 1; index < stages.length; index++) {
    if ((stages[index] as RolloutStage).percent < (stages[index - 1] as RolloutStage).percent) {
      return `stage ${index + 1} reaches fewer devices than stage ${index}: percents never decrease`;
    }
  }
  if ((stages.at(-1) as RolloutStage).percent !== 100) return 'the last stage reaches 100 percent';
  return undefined;
}
