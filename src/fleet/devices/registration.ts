// Registering devices: one at a time, or a whole provisioning list (CSV or JSON) that is checked
// completely first and then inserted in one transaction, in batches, so that all of it lands or none.
// Staff (admin, analyst) register; suppliers and auditors only read (see reading.ts).
import { type Principal, requireRole } from '../../auth/access.ts';
import { hashSecret } from '../../auth/secrets.ts';
import type { Deps } from '../../deps.ts';
import { FieldProblems } from '../../inventory/inventory-input.ts';
import { actorId, appendAudit } from '../../platform/audit.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { deviceCsvColumnOf, type LocatedDeviceSpec } from './device-csv.ts';
import { checkDevice, type DeviceSpec, modelLookup } from './device-input.ts';
import * as store from './store.ts';

const registrars = ['admin', 'analyst'] as const;
const maxProblems = 50;
const refusal = 'The import was refused; nothing was changed';

function toNewDevice(spec: DeviceSpec, modelId: string): store.NewDevice {
  const hasKey = spec.publicKey !== undefined && spec.publicKey !== '';
  return {
    serial: spec.serial,
    modelId,
    hardwareRevision: spec.hardwareRevision,
    credentialKind: hasKey ? 'ed25519' : 'secret',
    // Only a hash of a secret is kept: a copy of the database cannot impersonate a device.
    credential: hasKey ? (spec.publicKey as string).toLowerCase() : hashSecret(spec.secret as string),
    installedVersion: spec.installedVersion ?? null,
    tags: [...new Set(spec.tags ?? [])],
    region: spec.region ?? null,
  };
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

export async function registerDevice(
  deps: Deps,
  principal: Principal,
  spec: DeviceSpec,
): Promise<store.DeviceRow> {
  requireRole(principal, ...registrars);
  const models = modelLookup(await store.modelsForDevices(deps.db, null));
  const problems = new FieldProblems();
  const model = checkDevice(spec, models, problems, (field) => field);
  if (!model) throw new Invalid(problems.fields);
  const device = toNewDevice(spec, model.id);
  try {
    const id = await deps.db.transaction().execute(async (trx) => {
      const [id] = await store.insertDevices(trx, [device], actorId(principal));
      await appendAudit(trx, {
        actor: principal,
        action: 'DEVICE_REGISTERED',
        subjectType: 'device',
        subjectId: id,
        detail: { serial: device.serial, modelId: model.id, credentialKind: device.credentialKind },
        at: deps.clock(),
      });
      return id as string;
    });
    const row = await store.findDevice(deps.db, id, null);
    if (!row) throw new NotFound('No such device');
    return row;
  } catch (error) {
    if (isUniqueViolation(error))
      throw new Conflict(`A device with the serial "${spec.serial}" exists already`);
    throw error;
  }
}

export type DeviceImportResult = { dryRun: boolean; created: number };

/**
 * Imports a provisioning list. Every record is checked (fields, model, hardware revision, serials
 * repeated in the file or registered already) and up to 50 problems are reported together, each by
 * its place ("line 7: serial" in CSV, "devices[6].serial" in JSON). dryRun checks without saving.
 */
export async function importDevices(
  deps: Deps,
  principal: Principal,
  specs: LocatedDeviceSpec[],
  options: { dryRun: boolean },
): Promise<DeviceImportResult> {
  requireRole(principal, ...registrars);
  if (specs.length === 0) throw new Invalid({ devices: 'the list has no devices' }, refusal);
  const models = modelLookup(await store.modelsForDevices(deps.db, null));
  const problems = new FieldProblems();
  const devices: store.NewDevice[] = [];
  const firstSeen = new Map<string, string>();
  for (const spec of specs) {
    const name = (field: keyof DeviceSpec) =>
      spec.where.startsWith('line ')
        ? `${spec.where}: ${deviceCsvColumnOf[field]}`
        : `${spec.where}.${field}`;
    const model = checkDevice(spec, models, problems, name);
    const earlier = firstSeen.get(spec.serial);
    if (earlier !== undefined) problems.check(name('serial'), `repeats the serial of ${earlier}`);
    else firstSeen.set(spec.serial, spec.where);
    if (model) devices.push(toNewDevice(spec, model.id));
    if (Object.keys(problems.fields).length >= maxProblems) break;
  }
  if (problems.empty) {
    const taken = await store.existingSerials(deps.db, [...firstSeen.keys()]);
    for (const spec of specs) {
      if (!taken.has(spec.serial)) continue;
      const field = spec.where.startsWith('line ') ? `${spec.where}: serial` : `${spec.where}.serial`;
      problems.check(field, `a device with the serial "${spec.serial}" is registered already`);
      if (Object.keys(problems.fields).length >= maxProblems) break;
    }
  }
  if (!problems.empty) throw new Invalid(problems.fields, refusal);
  if (options.dryRun) return { dryRun: true, created: devices.length };

  try {
    await deps.db.transaction().execute(async (trx) => {
      await store.insertDevices(trx, devices, actorId(principal));
      // One entry for the list: an entry per device would double the work of a 100,000-line import.
      await appendAudit(trx, {
        actor: principal,
        action: 'DEVICES_IMPORTED',
        subjectType: 'device',
        detail: {
          count: devices.length,
          models: [...new Set(devices.map((device) => device.modelId))],
          firstSerial: devices[0]?.serial,
          lastSerial: devices.at(-1)?.serial,
        },
        at: deps.clock(),
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new Conflict(
        'A serial of the list was registered by someone else meanwhile; nothing was changed',
      );
    }
    throw error;
  }
  return { dryRun: false, created: devices.length };
}
