/**
 * Runs statements (statement.ts) on either database, the same way for both: the stores write
 * each rule once against this interface. Underneath, SQLite uses prepared statements on the
 * connection Prisma's adapter opened (a few microseconds each, against 0.2-0.8 ms through
 * Prisma: bench/), behind the connection's gate (gate.ts); PostgreSQL uses named prepared
 * statements on the pool Prisma's adapter shares.
 *
 * Inside `transaction` and `groupCommit` use only the `tx` handed in: on SQLite anything else
 * waits for the gate that very transaction holds.
 */
import type BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { encoder, type Row } from './codec.js';
import type { Dialect, Sql } from './statement.js';
import type { Gate } from './gate.js';

export interface Runner {
  readonly dialect: Dialect;
  /** All rows of a query. */
  all<T = Row>(q: Sql): Promise<T[]>;
  /** The first row, or undefined. */
  get<T = Row>(q: Sql): Promise<T | undefined>;
  /** Rows changed by a statement. */
  run(q: Sql): Promise<number>;
  /** One transaction: everything `fn` does through `tx` is stored, or nothing is. Nested: a savepoint. */
  transaction<T>(fn: (tx: Runner) => Promise<T>): Promise<T>;
  /**
   * The same, for the hot path: on SQLite, transactions started in the same turn of the event
   * loop share one commit, each inside its own savepoint (a failure undoes only its own writes);
   * a commit per ticket was most of SQLite's cost at a few hundred tickets a second (bench/).
   * Resolves after the commit. On PostgreSQL, an ordinary transaction.
   */
  groupCommit<T>(fn: (tx: Runner) => Promise<T>): Promise<T>;
}

// ---------------------------------------------------------------- SQLite

type Statement = BetterSqlite3.Statement;

class SqliteStatements {
  private readonly cache = new Map<string, Statement>();
  readonly encode = encoder('sqlite');
  constructor(readonly conn: BetterSqlite3.Database) {}

  prepare(text: string): Statement {
    let s = this.cache.get(text);
    if (!s) {
      s = this.conn.prepare(text);
      if (s.reader) s.safeIntegers(false);
      this.cache.set(text, s);
    }
    return s;
  }

  all(q: Sql): Row[] {
    const { text, values } = q.compile('sqlite', this.encode);
    const s = this.prepare(text);
    if (s.reader) return s.all(values) as Row[];
    s.run(values);
    return [];
  }

  run(q: Sql): number {
    const { text, values } = q.compile('sqlite', this.encode);
    const s = this.prepare(text);
    if (s.reader) return s.all(values).length;
    return s.run(values).changes;
  }

  exec(text: string): void {
    this.prepare(text).run();
  }
}

/** Statements inside a transaction that already holds the gate. */
class SqliteTx implements Runner {
  readonly dialect = 'sqlite' as const;
  private depth = 0;
  constructor(private readonly s: SqliteStatements) {}
  async all<T>(q: Sql): Promise<T[]> {
    return this.s.all(q) as T[];
  }
  async get<T>(q: Sql): Promise<T | undefined> {
    return this.s.all(q)[0] as T | undefined;
  }
  async run(q: Sql): Promise<number> {
    return this.s.run(q);
  }
  async transaction<T>(fn: (tx: Runner) => Promise<T>): Promise<T> {
    const name = `sp${++this.depth}`;
    this.s.exec(`SAVEPOINT ${name}`);
    try {
      const out = await fn(this);
      this.s.exec(`RELEASE ${name}`);
      return out;
    } catch (e) {
      this.s.exec(`ROLLBACK TO ${name}`);
      this.s.exec(`RELEASE ${name}`);
      throw e;
    } finally {
      this.depth--;
    }
  }
  groupCommit<T>(fn: (tx: Runner) => Promise<T>): Promise<T> {
    return this.transaction(fn);
  }
}

export class SqliteRunner implements Runner {
  readonly dialect = 'sqlite' as const;
  private readonly s: SqliteStatements;
  private readonly queue: { fn: (tx: Runner) => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
  private flushing = false;

  constructor(
    conn: BetterSqlite3.Database,
    readonly gate: Gate,
  ) {
    this.s = new SqliteStatements(conn);
  }

  /** The database file. */
  get file(): string {
    return this.s.conn.name;
  }

  /** False once Prisma has closed the connection. */
  get usable(): boolean {
    return this.s.conn.open;
  }

  /** A PRAGMA on the connection (checkpointer.ts): its first value. */
  pragma(text: string): unknown {
    return this.s.conn.pragma(text, { simple: true });
  }

  private async alone<T>(f: () => T): Promise<T> {
    const release = await this.gate.acquire();
    try {
      return f();
    } finally {
      release();
    }
  }

  all<T>(q: Sql): Promise<T[]> {
    return this.alone(() => this.s.all(q) as T[]);
  }
  get<T>(q: Sql): Promise<T | undefined> {
    return this.alone(() => this.s.all(q)[0] as T | undefined);
  }
  run(q: Sql): Promise<number> {
    return this.alone(() => this.s.run(q));
  }

  async transaction<T>(fn: (tx: Runner) => Promise<T>): Promise<T> {
    const release = await this.gate.acquire();
    try {
      this.s.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(new SqliteTx(this.s));
        this.s.exec('COMMIT');
        return out;
      } catch (e) {
        if (this.s.conn.inTransaction) this.s.exec('ROLLBACK');
        throw e;
      }
    } finally {
      release();
    }
  }

  groupCommit<T>(fn: (tx: Runner) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const release = await this.gate.acquire();
    const group = this.queue.splice(0, this.queue.length);
    const open = new Set(group);
    const done: { resolve: (v: unknown) => void; value: unknown }[] = [];
    const tx = new SqliteTx(this.s);
    try {
      this.s.exec('BEGIN IMMEDIATE');
      for (const item of group) {
        this.s.exec('SAVEPOINT item');
        try {
          const value = await item.fn(tx);
          this.s.exec('RELEASE item');
          done.push({ resolve: item.resolve, value });
        } catch (e) {
          this.s.exec('ROLLBACK TO item');
          this.s.exec('RELEASE item');
          open.delete(item);
          item.reject(e);
        }
      }
      this.s.exec('COMMIT');
      open.clear();
      for (const d of done) d.resolve(d.value);
    } catch (e) {
      if (this.s.conn.inTransaction) this.s.exec('ROLLBACK');
      for (const item of open) item.reject(e);
    } finally {
      release();
      this.flushing = false;
      if (this.queue.length) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    }
  }
}

// ---------------------------------------------------------------- PostgreSQL

const TIMESTAMP = 1114;
const INT8 = 20;

/** Instants read as UTC (see codec.ts); counts and sequence values as numbers (well inside the exact range). */
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => {
    if (oid === TIMESTAMP) return (s: string) => new Date(`${s.replace(' ', 'T')}Z`);
    if (oid === INT8) return (s: string) => Number(s);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

const encodePg = encoder('postgresql');
const names = new Map<string, string>();

/** Each statement text is prepared once per connection under a stable name. */
function config(q: Sql): pg.QueryConfig {
  const { text, values } = q.compile('postgresql', encodePg);
  let name = names.get(text);
  if (!name) names.set(text, (name = `s${names.size}`));
  return { name, text, values, types } as pg.QueryConfig;
}

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

class PgTx implements Runner {
  readonly dialect = 'postgresql' as const;
  private depth = 0;
  constructor(private readonly c: Queryable) {}
  async all<T>(q: Sql): Promise<T[]> {
    return (await this.c.query(config(q))).rows as T[];
  }
  async get<T>(q: Sql): Promise<T | undefined> {
    return (await this.all<T>(q))[0];
  }
  async run(q: Sql): Promise<number> {
    return (await this.c.query(config(q))).rowCount ?? 0;
  }
  async transaction<T>(fn: (tx: Runner) => Promise<T>): Promise<T> {
    const name = `sp${++this.depth}`;
    await this.c.query(`SAVEPOINT ${name}`);
    try {
      const out = await fn(this);
      await this.c.query(`RELEASE SAVEPOINT ${name}`);
      return out;
    } catch (e) {
      await this.c.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw e;
    } finally {
      this.depth--;
    }
  }
  groupCommit<T>(fn: (tx: Runner) => Promise<T>): Promise<T> {
    return this.transaction(fn);
  }
}

export class PgRunner extends PgTx {
  constructor(private readonly pool: pg.Pool) {
    super(pool);
  }

  override async transaction<T>(fn: (tx: Runner) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out client has no listener of the pool's: a backend terminated between two
    // statements (a failover, a DBA) would be an unhandled 'error' and end the process. The
    // transaction fails instead, and the connection is dropped rather than given back.
    let lost: Error | undefined;
    const onError = (e: Error) => {
      lost ??= e;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      try {
        const out = await fn(new PgTx(client));
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch((r: Error) => {
          lost ??= r;
        });
        throw e;
      }
    } finally {
      client.off('error', onError);
      client.release(lost);
    }
  }

  override groupCommit<T>(fn: (tx: Runner) => Promise<T>): Promise<T> {
    return this.transaction(fn);
  }
}

// ---------------------------------------------------------------- registry

const runners = new WeakMap<object, Runner>();

export function registerRunner(db: object, runner: Runner): void {
  runners.set(db, runner);
}

/** The runner of a client opened by openDb (client.ts). */
export function runnerOf(db: object): Runner {
  const r = runners.get(db);
  if (!r) throw new Error('a database client not opened by openDb (db/client.ts)');
  return r;
}
