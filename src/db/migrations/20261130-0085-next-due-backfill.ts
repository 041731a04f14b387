// Fills in cases.next_due_at (added empty by 0060) on a database that already has cases: queues one
// CASE_NEXT_DUE_REFRESH job over every case, which workers run in batches of short transactions
// (src/cases/inbox/next-due-refresh.ts). A database without cases has nothing to fill in: no job.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    insert into jobs (type, payload, idempotency_key)
    select 'CASE_NEXT_DUE_REFRESH', '{"scope": "all", "after": null, "refreshed": 0}'::jsonb,
           'next-due-refresh:backfill'
    where exists (select 1 from cases)
    on conflict (idempotency_key) do nothing
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from jobs where idempotency_key = 'next-due-refresh:backfill' and state = 'queued'`.execute(
    db,
  );
}
