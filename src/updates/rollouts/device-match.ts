// Whether a rollout's release may be offered to a device: compiled once per rollout (ranges parsed,
// sets built) so that a check-in only compares. Firmware is never offered to another model, to a
// hardware revision the release was not built for, over a version outside installOver, or to a
// device already on the release's version or a newer one.
import { compareVersionPrecedence } from '../../inventory/versions/version-order.ts';
import {
  parseVersionRange,
  rangeContains,
  type VersionRange,
} from '../../inventory/versions/version-range.ts';
import type { RolloutSelector } from './rollout-spec.ts';

export type MatchableDevice = {
  modelId: string;
  hardwareRevision: string;
  installedVersion: string | null;
  tags: string[];
  region: string | null;
};

export type ReleaseTarget = {
  modelId: string;
  version: string;
  hardwareRevisions: string[];
  installOver: string;
};

export type DeviceMatcher = (device: MatchableDevice) => boolean;

export function compileDeviceMatcher(release: ReleaseTarget, selector: RolloutSelector): DeviceMatcher {
  const builtFor = new Set(release.hardwareRevisions);
  const chosen = selector.hardwareRevisions.length > 0 ? new Set(selector.hardwareRevisions) : builtFor;
  const installOver: VersionRange = parseVersionRange(release.installOver);
  const installed: VersionRange = parseVersionRange(selector.installedVersions);
  const tags = new Set(selector.tags);
  const regions = new Set(selector.regions);
  return (device) => {
    if (device.modelId !== release.modelId) return false;
    if (!builtFor.has(device.hardwareRevision) || !chosen.has(device.hardwareRevision)) return false;
    const version = device.installedVersion;
    if (version === null) return false;
    if (!rangeContains(installOver, version) || !rangeContains(installed, version)) return false;
    if (compareVersionPrecedence(version, release.version) >= 0) return false;
    if (tags.size > 0 && !device.tags.some((tag) => tags.has(tag))) return false;
    if (regions.size > 0 && (device.region === null || !regions.has(device.region))) return false;
    return true;
  };
}
