/**
 * The pg pool under Prisma's PostgreSQL adapter, for the few statements every resident message
 * makes (the intake hot path), as sqlite-direct.ts is for SQLite. Through Prisma a raw statement
 * costs about 0.3 ms of CPU here before it reaches the driver; on the pool itself, as a named
 * prepared statement (parsed once per connection), a few hundredths of that (bench/).
 *
 * Instants: Prisma keeps them in `timestamp(3)` columns as UTC wall time. pg's own conversion
 * would write and read them in the process's local zone, so Dates go in as ISO strings (a
 * `timestamp` column ignores the Z) and come back read as UTC.
 */
import pg from 'pg';

const TIMESTAMP = 1114;
const INT8 = 20;

const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => {
    if (oid === TIMESTAMP) return (s: string) => new Date(`${s.replace(' ', 'T')}Z`);
    // counts and sequence values: well inside Number's exact range
    if (oid === INT8) return (s: string) => Number(s);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export class PgDirect {
  private readonly names = new Map<string, string>();

  constructor(private readonly pool: pg.Pool) {}

  /** Rows of one statement ($1, $2 ... placeholders), prepared once per connection and kept. */
  async query<T = Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<T[]> {
    return (await this.run(sql, values)).rows as T[];
  }

  /** Rows changed by one statement. */
  async execute(sql: string, values: unknown[] = []): Promise<number> {
    return (await this.run(sql, values)).rowCount ?? 0;
  }

  private run(sql: string, values: unknown[]): Promise<pg.QueryResult> {
    let name = this.names.get(sql);
    if (!name) {
      name = `hot${this.names.size}`;
      this.names.set(sql, name);
    }
    return this.pool.query({ name, text: sql, values: values.map((v) => (v instanceof Date ? v.toISOString() : v)), types } as pg.QueryConfig);
  }
}

const handles = new WeakMap<object, PgDirect>();

export function registerPgDirect(db: object, pool: pg.Pool): void {
  handles.set(db, new PgDirect(pool));
}

/** The direct handle for a PostgreSQL Prisma client opened by openDb; undefined for a transaction. */
export function pgDirect(db: object): PgDirect | undefined {
  return handles.get(db);
}

/** The same, for the client itself, which openDb always gives one. */
export function pgDirectOf(db: object): PgDirect {
  const h = handles.get(db);
  if (!h) throw new Error('a PostgreSQL client not opened by openDb (db/client.ts)');
  return h;
}
