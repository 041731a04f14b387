// Parameterised statements on a `pg` connection run as named (prepared) statements: PostgreSQL
// parses and plans each SQL text once per connection instead of on every call, which measured as
// about a third less database CPU on the report submission (docs/benchmarks.md, intake).
import crypto from 'node:crypto';
import type pg from 'pg';

/** Above this many distinct texts on one connection, further texts run unnamed (bounded memory). */
export const maxNamedStatements = 500;

type Query = (...args: unknown[]) => unknown;

/** A prepared plan whose table changed shape under it (a column added or dropped). */
const isStalePlan = (error: unknown) =>
  (error as { code?: unknown })?.code === '0A000' &&
  /cached plan must not change result type/.test(String((error as Error).message));

/**
 * Wraps `client.query` so that promise-style calls with parameters use a named statement. The name
 * is a hash of the text, so one name never stands for two statements. A statement PostgreSQL
 * refuses as stale is deallocated, the call retried unnamed, and the next call prepares it afresh.
 */
export function useNamedStatements(client: pg.PoolClient): void {
  const plain = client.query.bind(client) as Query;
  const named = new Set<string>();
  (client as unknown as { query: Query }).query = (...args: unknown[]) => {
    const [text, values] = args;
    const promiseCall = args.length === 2 && typeof text === 'string' && Array.isArray(values);
    if (!promiseCall || values.length === 0) return plain(...args);
    const name = `s${crypto.createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    if (!named.has(name) && named.size >= maxNamedStatements) return plain(text, values);
    named.add(name);
    return (plain({ name, text, values }) as Promise<unknown>).catch(async (error: unknown) => {
      if (!isStalePlan(error)) throw error;
      named.delete(name);
      await plain(`deallocate ${name}`);
      forgetParsed(client, name);
      return plain(text, values);
    });
  };
}

/** pg remembers which names it has parsed on the connection and would skip the parse next time. */
function forgetParsed(client: pg.PoolClient, name: string): void {
  const parsed = (client as unknown as { connection?: { parsedStatements?: Record<string, unknown> } })
    .connection?.parsedStatements;
  if (parsed) delete parsed[name];
}
