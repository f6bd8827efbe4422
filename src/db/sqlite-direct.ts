/**
 * The better-sqlite3 connection under Prisma's SQLite adapter, for the few statements on the
 * intake hot path. Through Prisma each statement costs 0.2 ms (raw) to 0.8 ms (compiled) of CPU
 * here; a prepared statement on the connection itself costs a few microseconds (bench/).
 *
 * Safety: it is the same connection Prisma uses, so a synchronous transaction on it cannot
 * interleave with anything. The one case to avoid is a Prisma interactive transaction that is
 * open (BEGIN sent, awaiting its next statement): then `inTransaction` is true and callers wait
 * for it to finish (whenFree) before writing, so that nothing of theirs joins someone else's
 * transaction. Prisma's own plain queries wait the same way (sqlite-guard.ts).
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Gate } from './gate.js';

type Statement = BetterSqlite3.Statement;

export class SqliteDirect {
  private readonly statements = new Map<string, Statement>();
  private readonly inserts = new Map<string, Statement>();
  private readonly control: Record<'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackTo', Statement>;
  private readonly queue: { fn: () => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
  private flushing = false;

  constructor(
    private readonly conn: BetterSqlite3.Database,
    /** the one gate onto the connection (gate.ts) */
    private readonly gate: Gate,
  ) {
    this.control = {
      begin: conn.prepare('BEGIN IMMEDIATE'),
      commit: conn.prepare('COMMIT'),
      rollback: conn.prepare('ROLLBACK'),
      savepoint: conn.prepare('SAVEPOINT item'),
      release: conn.prepare('RELEASE item'),
      rollbackTo: conn.prepare('ROLLBACK TO item'),
    };
  }

  /** The database file. */
  get file(): string {
    return this.conn.name;
  }

  /** False once Prisma has closed the connection (after $disconnect): callers fall back to Prisma. */
  get usable(): boolean {
    return this.conn.open;
  }

  /** A PRAGMA on the connection (checkpointer.ts): its first value. */
  pragma(sql: string): unknown {
    return this.conn.pragma(sql, { simple: true });
  }

  /** A statement prepared once and kept; integers come back as numbers. */
  stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.conn.prepare(sql);
      if (s.reader) s.safeIntegers(false);
      this.statements.set(sql, s);
    }
    return s;
  }

  /** INSERT of one row; returns its rowid (0 when ignoreConflictOn skipped it). Dates as epoch ms, booleans as 0/1. */
  insert(table: string, row: Record<string, unknown>, ignoreConflictOn?: string): number {
    const cols = Object.keys(row);
    const shape = `${table}|${ignoreConflictOn ?? ''}|${cols.join(',')}`;
    let s = this.inserts.get(shape);
    if (!s) {
      const conflict = ignoreConflictOn ? ` ON CONFLICT ("${ignoreConflictOn}") DO NOTHING` : '';
      s = this.conn.prepare(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(',')}) VALUES (${cols.map(() => '?').join(',')})${conflict}`);
      this.inserts.set(shape, s);
    }
    const values = new Array(cols.length);
    for (let i = 0; i < cols.length; i++) values[i] = cell(row[cols[i]]);
    const res = s.run(values);
    return res.changes === 1 ? Number(res.lastInsertRowid) : 0;
  }

  /**
   * INSERT of many rows as one statement (the rows go in as one JSON array, read by json_each):
   * for the sweep's thousands of rows, one call instead of one per row. Same cells as insert().
   */
  insertMany(table: string, rows: Record<string, unknown>[], ignoreConflictOn?: string): void {
    if (!rows.length) return;
    const cols = Object.keys(rows[0]);
    const conflict = ignoreConflictOn ? ` WHERE true ON CONFLICT ("${ignoreConflictOn}") DO NOTHING` : '';
    const sql = `INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(',')}) SELECT ${cols.map((_, i) => `value->>${i}`).join(',')} FROM json_each(?)${conflict}`;
    this.stmt(sql).run(JSON.stringify(rows.map((r) => cols.map((c) => cell(r[c])))));
  }

  /**
   * Group commit: `fn` runs with the others queued in the same turn of the event loop, each
   * inside its own savepoint (a failure undoes only its own writes), and the whole group is
   * committed once. Resolves after the commit, so what it wrote is durable when it resolves.
   * A commit per ticket was most of SQLite's cost at a few hundred tickets a second (bench/).
   */
  inGroupCommit<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Resolves when nobody holds the gate. */
  async whenFree(): Promise<void> {
    (await this.gate.acquire())();
  }

  private async flush(): Promise<void> {
    const releaseGate = await this.gate.acquire();
    const group = this.queue.splice(0, this.queue.length);
    const done: { resolve: (v: unknown) => void; value: unknown }[] = [];
    try {
      this.control.begin.run();
      for (const item of group) {
        this.control.savepoint.run();
        try {
          const value = item.fn();
          this.control.release.run();
          done.push({ resolve: item.resolve, value });
        } catch (e) {
          this.control.rollbackTo.run();
          this.control.release.run();
          item.reject(e);
        }
      }
      this.control.commit.run();
      for (const d of done) d.resolve(d.value);
    } catch (e) {
      if (this.conn.inTransaction) this.control.rollback.run();
      for (const item of group) item.reject(e);
    } finally {
      releaseGate();
      this.flushing = false;
      if (this.queue.length) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    }
  }

  /** Runs `fn` as one synchronous transaction. Call after whenFree(), with no await in between. */
  transaction<T>(fn: () => T): T {
    this.control.begin.run();
    try {
      const out = fn();
      this.control.commit.run();
      return out;
    } catch (e) {
      if (this.conn.inTransaction) this.control.rollback.run();
      throw e;
    }
  }
}

function cell(v: unknown): unknown {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v === undefined ? null : v;
}

const handles = new WeakMap<object, SqliteDirect>();

export function registerSqliteDirect(db: object, conn: BetterSqlite3.Database, gate: Gate): void {
  handles.set(db, new SqliteDirect(conn, gate));
}

/** The direct handle for a SQLite Prisma client opened by openDb, or undefined (PostgreSQL, or closed). */
export function sqliteDirect(db: object): SqliteDirect | undefined {
  const h = handles.get(db);
  return h?.usable ? h : undefined;
}
