// The one place where the director decides what a device should install. Rollouts plug in here:
// they will look up the rollouts whose selector and cohort include the device and name a target.
// Until rollouts exist no release is offered to any device, so the answer is always "nothing".
import type { Deps } from '../../deps.ts';
import type { Target } from './instruction.ts';

/** What the director knows of a device when it checks in (from the in-process device cache). */
export type DirectorDevice = {
  id: string;
  serial: string;
  modelId: string;
  hardwareRevision: string;
  /** As reported in this check-in. */
  installedVersion: string;
  tags: string[];
  region: string | null;
};

export type DecideDeps = Pick<Deps, 'db' | 'clock'>;

/** The target the device should install now, or null for nothing. */
export async function decideInstruction(_deps: DecideDeps, _device: DirectorDevice): Promise<Target | null> {
  return null;
}
