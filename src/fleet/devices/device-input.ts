// The rules of one device record, shared by single registration and bulk import: each problem is
// named by the field it concerns (`where` says which record: "devices[3]" or "line 7").

import { type FieldProblems, versionProblem } from '../../inventory/inventory-input.ts';
import { isEd25519PublicKey } from '../../updates/tuf/ed25519-keys.ts';
import type { ModelForDevices } from './store.ts';

/** One device as given by staff: `model` is a model id or "product-slug/model-slug". */
export type DeviceSpec = {
  serial: string;
  model: string;
  hardwareRevision: string;
  publicKey?: string | undefined;
  secret?: string | undefined;
  installedVersion?: string | null | undefined;
  tags?: string[] | undefined;
  region?: string | null | undefined;
};

export const serialPattern = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
export const tagPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
/** Printable ASCII without spaces: it travels in an HTTP header. */
export const secretPattern = /^[\x21-\x7e]{32,256}$/;
export const maxTags = 32;

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export type ModelLookup = Map<string, ModelForDevices>;

export function modelLookup(models: ModelForDevices[]): ModelLookup {
  const lookup: ModelLookup = new Map();
  for (const model of models) {
    lookup.set(model.id, model);
    lookup.set(model.path, model);
  }
  return lookup;
}

/**
 * Checks one record against the models the caller may see; `name(field)` says how the record's
 * fields are named in errors. Returns the model when the record is sound.
 */
export function checkDevice(
  spec: DeviceSpec,
  models: ModelLookup,
  problems: FieldProblems,
  name: (field: keyof DeviceSpec) => string,
): ModelForDevices | undefined {
  const before = Object.keys(problems.fields).length;
  if (!serialPattern.test(spec.serial)) {
    problems.check(
      name('serial'),
      'must be 1 to 128 characters: letters, digits and . _ : / - (starting with a letter or digit)',
    );
  }
  const model = models.get(spec.model.trim());
  if (!model) problems.check(name('model'), 'names no model (give its id or product-slug/model-slug)');
  else if (!model.hardwareRevisions.includes(spec.hardwareRevision)) {
    problems.check(
      name('hardwareRevision'),
      `"${spec.hardwareRevision}" is not a hardware revision of this model (it has ${model.hardwareRevisions.length === 0 ? 'none' : model.hardwareRevisions.map((r) => `"${r}"`).join(', ')})`,
    );
  }
  const hasKey = spec.publicKey !== undefined && spec.publicKey !== '';
  const hasSecret = spec.secret !== undefined && spec.secret !== '';
  if (hasKey === hasSecret) {
    problems.check(name(hasKey ? 'secret' : 'publicKey'), 'give exactly one credential: publicKey or secret');
  } else if (hasKey && !isEd25519PublicKey((spec.publicKey as string).toLowerCase())) {
    problems.check(name('publicKey'), 'must be an Ed25519 public key as 64 hexadecimal characters');
  } else if (hasSecret && !secretPattern.test(spec.secret as string)) {
    problems.check(name('secret'), 'must be 32 to 256 printable ASCII characters without spaces');
  }
  if (spec.installedVersion !== undefined && spec.installedVersion !== null) {
    problems.check(name('installedVersion'), versionProblem(spec.installedVersion));
  }
  const tags = spec.tags ?? [];
  if (tags.length > maxTags) problems.check(name('tags'), `at most ${maxTags} tags`);
  const badTag = tags.find((tag) => !tagPattern.test(tag));
  if (badTag !== undefined) {
    problems.check(name('tags'), `"${badTag}" is not a tag: 1 to 64 letters, digits and . _ : -`);
  }
  if (spec.region !== undefined && spec.region !== null && !isTimeZone(spec.region)) {
    problems.check(name('region'), 'must be an IANA time zone such as Europe/Berlin');
  }
  return Object.keys(problems.fields).length === before ? model : undefined;
}
