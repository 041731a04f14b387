// Server process for the intake benchmark's baseline: a bare Fastify route that inserts one row of
// the same fields into the same engine, through the product's own openDatabase (same dialect and
// pool), with no validation, logging, rate limit, transaction or queue.
import Fastify from 'fastify';
import { type Generated, sql } from 'kysely';
import { openDatabase } from '../../src/db/database.ts';
import { serveTarget } from '../support/target-process.ts';

type BaselineReport = {
  id: Generated<string>;
  title: string;
  description: string;
  product_text: string | null;
  version: string | null;
  reporter_name: string | null;
  credit: string;
  created_at: Generated<Date>;
};

type Body = {
  title: string;
  description: string;
  productName?: string;
  version?: string;
  reporterName?: string;
  credit?: string;
};

await serveTarget(async () => {
  const where = JSON.parse(process.argv[2] ?? '{}') as { dataDir: string; databaseUrl?: string };
  const database = await openDatabase({ dataDir: where.dataDir, databaseUrl: where.databaseUrl });
  const db = database.db.$extendTables<{ baseline_reports: BaselineReport }>();
  await sql`
    create table baseline_reports (
      id uuid primary key default gen_random_uuid(),
      title text not null,
      description text not null,
      product_text text,
      version text,
      reporter_name text,
      credit text not null,
      created_at timestamptz not null default now()
    )`.execute(db);

  const app = Fastify();
  app.post('/reports', async (request, reply) => {
    const body = request.body as Body;
    const row = await db
      .insertInto('baseline_reports')
      .values({
        title: body.title,
        description: body.description,
        product_text: body.productName ?? null,
        version: body.version ?? null,
        reporter_name: body.reporterName ?? null,
        credit: body.credit ?? 'named',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return reply.code(201).send({ id: row.id });
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: `${url}/reports`,
    async countStored() {
      const row = await db
        .selectFrom('baseline_reports')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
});
