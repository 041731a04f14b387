// Server process for the inbox benchmark: the real product on a database the benchmark loaded,
// configured by the environment map passed as the first argument (the same variables an operator sets).
import { loadConfig } from '../../src/config.ts';
import { startProduct } from '../../src/server.ts';
import { serveTarget } from '../support/target-process.ts';

await serveTarget(async () => {
  const config = loadConfig(JSON.parse(process.argv[2] ?? '{}') as Record<string, string>);
  const product = await startProduct(config, { listen: true });
  const db = product.database.db;
  return {
    url: product.url as string,
    async countStored() {
      const row = await db
        .selectFrom('cases')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },
    close: () => product.close(),
  };
});
