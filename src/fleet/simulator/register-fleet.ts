// Registers a simulated fleet the way a factory list is registered: POST /api/v1/devices/import with
// a staff API token, then reads the ids back by the run's tag. Each device gets a random secret.
import crypto from 'node:crypto';

export type SimulatedDevice = { id: string; serial: string; secret: string; modelId: string };

const importBatch = 10_000;
const pageSize = 500;

export async function registerFleet(options: {
  url: string;
  token: string;
  count: number;
  model: string;
  hardwareRevision: string;
  installedVersion: string;
}): Promise<{ tag: string; devices: SimulatedDevice[] }> {
  const run = crypto.randomBytes(4).toString('hex');
  const tag = `sim-${run}`;
  const headers = { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' };
  const secrets = new Map<string, string>();
  for (let start = 0; start < options.count; start += importBatch) {
    const devices = [];
    for (let n = start; n < Math.min(options.count, start + importBatch); n++) {
      const serial = `SIM-${run}-${String(n + 1).padStart(6, '0')}`;
      const secret = crypto.randomBytes(32).toString('base64url');
      secrets.set(serial, secret);
      devices.push({
        serial,
        model: options.model,
        hardwareRevision: options.hardwareRevision,
        secret,
        installedVersion: options.installedVersion,
        tags: ['simulated', tag],
      });
    }
    const response = await fetch(`${options.url}/api/v1/devices/import`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ devices }),
    });
    if (response.status !== 200 && response.status !== 201) {
      throw new Error(
        `registering the simulated devices failed (${response.status}): ${await response.text()}`,
      );
    }
  }
  const devices: SimulatedDevice[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const response = await fetch(
      `${options.url}/api/v1/devices?tag=${tag}&limit=${pageSize}&offset=${offset}`,
      { headers: { authorization: headers.authorization } },
    );
    if (response.status !== 200) throw new Error(`listing the simulated devices failed (${response.status})`);
    const page = (await response.json()) as { items: { id: string; serial: string; modelId: string }[] };
    for (const item of page.items) {
      devices.push({ ...item, secret: secrets.get(item.serial) as string });
    }
    if (page.items.length < pageSize) break;
  }
  return { tag, devices };
}
