// Server process for the check-in and rollout benchmarks: the real product, prepared as a maker's
// server is before devices check in (bench/support/fleet-server.ts), with `devices` seeded devices.
// Arguments: the environment map, then {"devices": N, "firmwareBytes": B}.
import { loadConfig } from '../../src/config.ts';
import { startProduct } from '../../src/server.ts';
import { prepareFleetServer, seedFleet } from '../support/fleet-server.ts';
import { serveTarget } from '../support/target-process.ts';

await serveTarget(async () => {
  const config = loadConfig(JSON.parse(process.argv[2] ?? '{}') as Record<string, string>);
  const { devices, firmwareBytes } = JSON.parse(process.argv[3] ?? '{}') as {
    devices: number;
    firmwareBytes: number;
  };
  const progress = (line: string) => process.stderr.write(`    server: ${line}\n`);
  const product = await startProduct(config, { listen: true });
  const prepared = await prepareFleetServer(product, { firmwareBytes, progress });
  if (devices > 0) await seedFleet(product, prepared, devices, progress);
  const db = product.database.db;
  return {
    url: product.url as string,
    info: { ...prepared, devices },
    /** Devices whose check-in has been written (last seen). */
    async countStored() {
      const row = await db
        .selectFrom('devices')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('last_seen_at', 'is not', null)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },
    close: () => product.close(),
  };
});
