// Kysely dialect for PGlite. PGlite is a single connection, so every query and every transaction
// takes the one connection behind a lock: a transaction never interleaves with other statements.
import { type PGlite, protocol, parse as protocolResults } from '@electric-sql/pglite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely';

/** Named statements kept per connection; SQL texts past this many run unnamed (parsed every time). */
const maxPreparedStatements = 500;

type Prepared = { name: string; paramTypes: number[] };

type QueryOutcome = { rows: unknown[]; affectedRows?: number };

class PGliteConnection implements DatabaseConnection {
  readonly #client: PGlite;
  /** Parameterised SQL text -> its named prepared statement on this (the only) session. */
  readonly #prepared = new Map<string, Prepared>();
  constructor(client: PGlite) {
    this.#client = client;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    // Statements without parameters may hold several commands (migrations); only exec runs those.
    const result =
      compiled.parameters.length === 0
        ? ((await this.#client.exec(compiled.sql)).at(-1) ?? { rows: [], affectedRows: 0, fields: [] })
        : await this.#runParameterised(compiled.sql, compiled.parameters);
    const affected = result.affectedRows;
    const isWrite = /^\s*(insert|update|delete|merge)/i.test(compiled.sql);
    return {
      rows: result.rows as R[],
      ...(isWrite && affected !== undefined ? { numAffectedRows: BigInt(affected) } : {}),
    };
  }

  /**
   * PGlite's query() parses and plans the statement on every call, in six protocol exchanges. The
   * same SQL text is parsed once here into a named statement (PostgreSQL re-plans it itself when a
   * table it uses changes); each call is then bind, describe, execute and sync in one exchange.
   * Sync ends the implicit transaction exactly as query() does, so an autocommit statement is
   * committed before this returns.
   */
  async #runParameterised(sql: string, parameters: readonly unknown[]): Promise<QueryOutcome> {
    const prepared = await this.#prepare(sql);
    if (prepared === undefined) return this.#client.query(sql, [...parameters]);
    const values = parameters.map((value, index) => this.#serialize(value, prepared.paramTypes[index]));
    const message = concat([
      protocol.serialize.bind({ statement: prepared.name, values }),
      protocol.serialize.describe({ type: 'P' }),
      protocol.serialize.execute({}),
      protocol.serialize.sync(),
    ]);
    try {
      const { messages } = await this.#client.runExclusive(() => this.#client.execProtocol(message));
      return protocolResults.parseResults(messages, this.#client.parsers)[0] ?? { rows: [], affectedRows: 0 };
    } catch (error) {
      // "cached plan must not change result type": a table changed shape; parse it afresh next time.
      if ((error as { code?: unknown }).code === '0A000') {
        this.#prepared.delete(sql);
        await this.#client.exec(`deallocate ${prepared.name}`);
        return this.#client.query(sql, [...parameters]);
      }
      throw error;
    }
  }

  async #prepare(sql: string): Promise<Prepared | undefined> {
    const known = this.#prepared.get(sql);
    if (known !== undefined || this.#prepared.size >= maxPreparedStatements) return known;
    const name = `kysely_${this.#prepared.size + 1}`;
    const message = concat([
      protocol.serialize.parse({ name, text: sql }),
      protocol.serialize.describe({ type: 'S', name }),
      protocol.serialize.sync(),
    ]);
    try {
      const { messages } = await this.#client.runExclusive(() => this.#client.execProtocol(message));
      const prepared = { name, paramTypes: protocolResults.parseDescribeStatementResults(messages) };
      this.#prepared.set(sql, prepared);
      return prepared;
    } catch {
      // A statement PostgreSQL refuses: query() reports the error in its usual form.
      return undefined;
    }
  }

  #serialize(value: unknown, type: number | undefined): string | null {
    if (value === null || value === undefined) return null;
    const serializer = type === undefined ? undefined : this.#client.serializers[type];
    return serializer ? serializer(value) : String(value);
  }

  // biome-ignore lint/correctness/useYield: PGlite cannot stream; the error says so.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite does not support streaming queries');
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

class PGliteDriver implements Driver {
  readonly #connection: PGliteConnection;
  #tail: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;

  constructor(client: PGlite) {
    this.#connection = new PGliteConnection(client);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    this.#release = release;
    return this.#connection;
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async destroy(): Promise<void> {}
}

export class PGliteDialect implements Dialect {
  readonly #client: PGlite;
  constructor(client: PGlite) {
    this.#client = client;
  }
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver() {
    return new PGliteDriver(this.#client);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}
