// A device's check-in: note that it was seen (batched), ask decideInstruction what it should install,
// and answer with a signed instruction bound to the device, its nonce and a short expiry.
import type { Deps } from '../../deps.ts';
import { versionProblem } from '../../inventory/inventory-input.ts';
import { Invalid } from '../../platform/errors.ts';
import { decideInstruction } from './decide-instruction.ts';
import type { CachedDevice } from './device-cache.ts';
import { directorKey } from './director-key.ts';
import { encodeSignedInstruction, type Instruction, instructionTime } from './instruction.ts';
import type { DirectorRuntime } from './runtime.ts';

/** How long an instruction may be acted on: long enough for a slow link, short against replay. */
export const instructionLifeSeconds = 300;

/** The base interval, moved up or down by up to the jitter percentage, so polls spread out. */
export function pollSeconds(config: Deps['config'], random: Deps['random']): number {
  const spread = config.devicePollJitterPercent / 100;
  const unit = random(4).readUInt32BE(0) / 2 ** 32;
  return Math.max(1, Math.round(config.devicePollSeconds * (1 - spread + 2 * spread * unit)));
}

export async function checkIn(
  deps: Deps,
  runtime: DirectorRuntime,
  device: CachedDevice,
  report: { installedVersion: string; nonce: string },
): Promise<string> {
  const problem = versionProblem(report.installedVersion);
  if (problem) throw new Invalid({ installedVersion: problem });
  const now = deps.clock();
  runtime.lastSeen.note(device.id, now, report.installedVersion);
  runtime.cache.noteVersion(device.id, report.installedVersion);
  const target = await decideInstruction(deps, {
    id: device.id,
    serial: device.serial,
    modelId: device.modelId,
    hardwareRevision: device.hardwareRevision,
    installedVersion: report.installedVersion,
    tags: device.tags,
    region: device.region,
  });
  const instruction: Instruction = {
    deviceId: device.id,
    nonce: report.nonce,
    issuedAt: instructionTime(now),
    expiresAt: instructionTime(new Date(now.getTime() + instructionLifeSeconds * 1000)),
    action: target ? 'install' : 'none',
    ...(target ? { target } : {}),
    pollSeconds: pollSeconds(deps.config, deps.random),
  };
  const { signer } = await directorKey(deps);
  return encodeSignedInstruction(instruction, (bytes) => {
    const signature = signer.sign(bytes);
    return { keyid: signature.keyID, sig: signature.sig };
  });
}
