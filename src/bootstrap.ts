/** Opens everything the service (and the tests, the simulator, the benchmarks) run on. */
import { systemClock, type Clock } from './core/clock.js';
import type { Core } from './core/context.js';
import { loadOrgFile } from './core/org/load-org.js';
import { Org } from './core/org/org.js';
import { Checkpointer, type CheckpointerOptions } from './db/checkpointer.js';
import { openDb, parseDatabaseUrl, type Provider } from './db/client.js';
import { migrate, withStartupLock } from './db/migrate.js';
import { runnerOf, SqliteRunner, type Runner } from './db/runner.js';
import { openStores } from './db/stores/index.js';

export interface OpenCoreOptions {
  databaseUrl?: string;
  orgConfig: string;
  /** PostgreSQL connections per instance (default 10) */
  pgPoolSize?: number;
  clock?: Clock;
}

/** The core, with what only the process that opened it needs. */
export interface OpenedCore extends Core {
  /** migrations applied at this start */
  applied: string[];
  provider: Provider;
  /**
   * SQLite: WAL checkpoints move to a worker thread (checkpointer.ts), for the long-running
   * service; undefined on PostgreSQL.
   */
  startCheckpointer(opts?: CheckpointerOptions): Checkpointer | undefined;
  /**
   * Runs one-off start-up work (the demo seed) while no other instance on this database runs
   * its own: a second instance starting at the same moment waits, then finds the work done.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** The data layer's statement runner, for start-up work written in bulk (the demo history, db/seed-history.ts). */
  runner: Runner;
  /** Closes the database. */
  close(): Promise<void>;
}

export async function openCore(o: OpenCoreOptions): Promise<OpenedCore> {
  const org = new Org(loadOrgFile(o.orgConfig));
  const target = parseDatabaseUrl(o.databaseUrl);
  const applied = await migrate(target);
  const db = await openDb(target, { poolSize: o.pgPoolSize });
  const runner = runnerOf(db);
  return {
    stores: openStores(db),
    org,
    clock: o.clock ?? systemClock,
    provider: target.provider,
    applied,
    exclusive: (fn) => withStartupLock(target, fn),
    runner,
    startCheckpointer: (opts) => (runner instanceof SqliteRunner ? Checkpointer.start(runner, opts) : undefined),
    close: () => db.$disconnect(),
  };
}
