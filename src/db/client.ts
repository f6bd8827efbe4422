import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { guardPlainQueries, type Guarded } from './sqlite-guard.js';
import { PgRunner, registerRunner, SqliteRunner } from './runner.js';
import pg from 'pg';
import { PrismaClient as SqliteClient } from './generated/sqlite/client.js';
import { PrismaClient as PgClient } from './generated/postgresql/client.js';

/** The Prisma client the code is written against. The PostgreSQL client has the same models. */
export type Db = SqliteClient;
export type Provider = 'sqlite' | 'postgresql';

export const DEFAULT_DATABASE_URL = 'file:./data/heating.db';

export interface DatabaseTarget {
  provider: Provider;
  /** SQLite: an absolute file path. PostgreSQL: the connection string without our own parameters. */
  url: string;
  /** PostgreSQL: the schema to work in (from ?schema=, default public). */
  schema?: string;
}

/** DATABASE_URL → what to open. Unset or file: is SQLite; postgres(ql):// is PostgreSQL. */
export function parseDatabaseUrl(raw: string | undefined): DatabaseTarget {
  const url = raw?.trim() || DEFAULT_DATABASE_URL;
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length).split('?')[0];
    return { provider: 'sqlite', url: resolve(path) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const u = new URL(url);
    const schema = u.searchParams.get('schema') ?? 'public';
    u.searchParams.delete('schema');
    return { provider: 'postgresql', url: u.toString(), schema };
  }
  throw new Error(`DATABASE_URL must start with file: or postgresql:// (got "${url.split(':')[0]}:...")`);
}

/** Opens the Prisma client for a target, through the driver adapter (no native Prisma engines). */
export async function openDb(target: DatabaseTarget, opts: { /** PostgreSQL connections (settings' PG_POOL_SIZE) */ poolSize?: number } = {}): Promise<Db> {
  if (target.provider === 'sqlite') {
    mkdirSync(dirname(target.url), { recursive: true });
    const factory = new PrismaBetterSQLite3({ url: target.url, timeout: 10_000 }, { timestampFormat: 'unixepoch-ms' });
    // Keep hold of the connection the adapter opens (see sqlite-direct.ts for why and how it is used).
    let guarded: Guarded<unknown> | undefined;
    const adapter = {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: async () => (guarded = guardPlainQueries(await factory.connect())).adapter,
      connectToShadowDb: () => factory.connectToShadowDb(),
    } as unknown as typeof factory;
    const db = new SqliteClient({ adapter, log: queryLog() });
    traceQueries(db);
    // WAL is set (persistently) by the migration runner; these are per connection.
    await db.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
    await db.$queryRawUnsafe('PRAGMA foreign_keys = ON');
    if (guarded) {
      registerRunner(db, new SqliteRunner(guarded.connection, guarded.gate));
    }
    return db;
  }
  // One pool for Prisma and for the data layer's runner (runner.ts); given to the
  // adapter, it is ours to end when the client disconnects.
  const pool = new pg.Pool({ connectionString: target.url, max: opts.poolSize ?? 10, options: `-c search_path="${target.schema}"` });
  // An idle connection the server ends (a failover, a DBA's pg_terminate_backend) is dropped by
  // the pool, and the next statement opens a new one. The pool reports it as an 'error' event,
  // which with no listener would end the process; Prisma's adapter adds one only once Prisma
  // itself connects, and the stores may never use Prisma.
  pool.on('error', () => {});
  const adapter = new PrismaPg(pool, { schema: target.schema });
  const db = new PgClient({ adapter, log: queryLog() }) as unknown as Db;
  const disconnect = db.$disconnect.bind(db);
  Object.defineProperty(db, '$disconnect', {
    value: async () => {
      await disconnect();
      if (!pool.ended) await pool.end();
    },
  });
  registerRunner(db, new PgRunner(pool));
  traceQueries(db);
  return db;
}

/** DB_TRACE_QUERIES=1 prints every query with its duration to stderr (developers, benchmarks). */
function queryLog(): { emit: 'event'; level: 'query' }[] {
  return process.env.DB_TRACE_QUERIES ? [{ emit: 'event', level: 'query' }] : [];
}

function traceQueries(db: Db): void {
  if (!process.env.DB_TRACE_QUERIES) return;
  (db as unknown as { $on(e: 'query', f: (q: { query: string; duration: number }) => void): void }).$on('query', (q) =>
    process.stderr.write(`[query ${q.duration}ms] ${q.query.slice(0, 200)}\n`),
  );
}
