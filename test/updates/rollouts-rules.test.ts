import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, it } from 'node:test';
import { Invalid } from '../../src/platform/errors.ts';
import { cohortBucket, firstStageOf, inCohort } from '../../src/updates/rollouts/cohort.ts';
import { compileDeviceMatcher, type MatchableDevice } from '../../src/updates/rollouts/device-match.ts';
import { inMaintenanceWindow } from '../../src/updates/rollouts/maintenance-window.ts';
import { checkRolloutInput, type RolloutInput } from '../../src/updates/rollouts/rollout-spec.ts';

const modelId = crypto.randomUUID();
const release = {
  modelId,
  version: '2.0.0',
  hardwareRevisions: ['A', 'B'],
  installOver: '>= 1.0.0, < 2.0.0',
};
const selectAll = { hardwareRevisions: [], installedVersions: '*', tags: [], regions: [] };
const device = (over: Partial<MatchableDevice> = {}): MatchableDevice => ({
  modelId,
  hardwareRevision: 'A',
  installedVersion: '1.5.0',
  tags: [],
  region: null,
  ...over,
});

describe('rollout cohorts', () => {
  const rolloutId = crypto.randomUUID();
  const ids = Array.from({ length: 10_000 }, () => crypto.randomUUID());

  it('gives a device the same bucket every time, and another bucket in another rollout', () => {
    const id = ids[0] as string;
    assert.equal(cohortBucket(rolloutId, id), cohortBucket(rolloutId, id));
    const other = crypto.randomUUID();
    const differs = ids
      .slice(0, 50)
      .some((device) => cohortBucket(rolloutId, device) !== cohortBucket(other, device));
    assert.ok(differs);
    const expected =
      crypto.createHash('sha256').update(`${rolloutId}:${id}`).digest().readUInt32BE(0) % 10_000;
    assert.equal(cohortBucket(rolloutId, id), expected);
  });

  it('reaches about the stage percent of 10,000 devices, and no device ever leaves a cohort', () => {
    const percents = [1, 10, 50, 100];
    const buckets = ids.map((id) => cohortBucket(rolloutId, id));
    for (const percent of percents) {
      const share = buckets.filter((bucket) => inCohort(bucket, percent)).length / ids.length;
      const tolerance = Math.max(0.005, 4 * Math.sqrt(((percent / 100) * (1 - percent / 100)) / ids.length));
      assert.ok(Math.abs(share - percent / 100) <= tolerance, `${percent}%: got ${share}`);
    }
    for (const bucket of buckets) {
      const first = firstStageOf(bucket, percents);
      assert.ok(first >= 0, 'the last stage (100%) reaches everyone');
      for (const later of percents.slice(first)) assert.ok(inCohort(bucket, later));
    }
  });
});

describe('rollout selector rules', () => {
  const matches = compileDeviceMatcher(release, selectAll);

  it('selects a device of the model, a built-for revision and a version inside installOver', () => {
    assert.equal(matches(device()), true);
  });

  it('never selects another model, another hardware revision, a version outside installOver, or an updated device', () => {
    assert.equal(matches(device({ modelId: crypto.randomUUID() })), false, 'wrong model');
    assert.equal(matches(device({ hardwareRevision: 'C' })), false, 'wrong hardware revision');
    assert.equal(matches(device({ installedVersion: '0.9.0' })), false, 'below installOver');
    assert.equal(matches(device({ installedVersion: null })), false, 'unknown version');
    assert.equal(matches(device({ installedVersion: '2.0.0' })), false, 'already on the release');
    assert.equal(
      compileDeviceMatcher(
        { ...release, installOver: '*' },
        selectAll,
      )(device({ installedVersion: '2.1.0' })),
      false,
      'a newer version is never replaced, even when installOver allows it',
    );
  });

  it('intersects the selector with the release: revisions, version range, tags and regions', () => {
    const narrow = compileDeviceMatcher(release, {
      hardwareRevisions: ['B'],
      installedVersions: '>= 1.5.0',
      tags: ['beta', 'lab'],
      regions: ['Europe/Berlin'],
    });
    const fits = { hardwareRevision: 'B', installedVersion: '1.6.0', tags: ['lab'], region: 'Europe/Berlin' };
    assert.equal(narrow(device(fits)), true);
    assert.equal(narrow(device({ ...fits, hardwareRevision: 'A' })), false);
    assert.equal(narrow(device({ ...fits, installedVersion: '1.4.0' })), false);
    assert.equal(narrow(device({ ...fits, tags: ['prod'] })), false);
    assert.equal(narrow(device({ ...fits, region: 'America/New_York' })), false);
    assert.equal(narrow(device({ ...fits, region: null })), false);
  });
});

describe('a new rollout’s checks', () => {
  const input: RolloutInput = {
    releaseId: crypto.randomUUID(),
    stages: [
      { percent: 10, minMinutes: 60, minReports: 5 },
      { percent: 100, minMinutes: 60, minReports: 5 },
    ],
    failureThreshold: 5,
    minReportsBeforeHalt: 10,
    mode: 'soft',
  };
  const facts = { hardwareRevisions: ['A'], state: 'signed' };
  const problems = (over: Partial<RolloutInput>) => {
    try {
      checkRolloutInput({ ...input, ...over }, facts);
      return {};
    } catch (error) {
      assert.ok(error instanceof Invalid);
      return error.fields;
    }
  };

  it('accepts a valid rollout and fills the selector', () => {
    assert.deepEqual(checkRolloutInput(input, facts).selector, selectAll);
  });

  it('refuses revisions the release was not built for, bad ranges and zones, and bad stages', () => {
    assert.match(
      problems({ selector: { hardwareRevisions: ['B'] } })['selector.hardwareRevisions'] ?? '',
      /"B"/,
    );
    assert.ok(problems({ selector: { installedVersions: '>= 2, >= 3' } })['selector.installedVersions']);
    assert.ok(problems({ selector: { regions: ['Mars/Olympus'] } })['selector.regions']);
    assert.match(
      problems({
        stages: [
          { percent: 50, minMinutes: 0, minReports: 0 },
          { percent: 10, minMinutes: 0, minReports: 0 },
        ],
      }).stages ?? '',
      /never decrease/,
    );
    assert.match(problems({ stages: [{ percent: 50, minMinutes: 0, minReports: 0 }] }).stages ?? '', /100/);
    assert.ok(problems({ maintenanceWindow: { start: '25:00', end: '03:00' } }).maintenanceWindow);
  });
});

describe('maintenance windows', () => {
  const night = { start: '01:00', end: '05:00' };
  const spansMidnight = { start: '22:00', end: '02:00' };

  it('opens in the local time of the device’s zone', () => {
    const at = new Date('2026-11-30T01:30:00Z'); // 02:30 in Berlin, 20:30 the day before in New York
    assert.equal(inMaintenanceWindow(night, at, 'Europe/Berlin'), true);
    assert.equal(inMaintenanceWindow(night, at, 'America/New_York'), false);
    assert.equal(inMaintenanceWindow(night, at, 'UTC'), true);
    assert.equal(
      inMaintenanceWindow(night, new Date('2026-11-30T04:00:00Z'), 'Europe/Berlin'),
      false,
      'end excluded',
    );
  });

  it('spans midnight when the end comes before the start, and is always open without a window', () => {
    assert.equal(inMaintenanceWindow(spansMidnight, new Date('2026-11-30T23:30:00Z'), 'UTC'), true);
    assert.equal(inMaintenanceWindow(spansMidnight, new Date('2026-11-30T01:59:00Z'), 'UTC'), true);
    assert.equal(inMaintenanceWindow(spansMidnight, new Date('2026-11-30T12:00:00Z'), 'UTC'), false);
    assert.equal(inMaintenanceWindow(null, new Date(), 'UTC'), true);
  });
});
