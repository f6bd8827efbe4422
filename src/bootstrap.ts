/** Opens everything the service (and the tests, the simulator, the benchmarks) run on. */
import { systemClock, type Clock } from './core/clock.js';
import type { Core } from './core/context.js';
import { loadOrgFile } from './core/org/load-org.js';
import { Org } from './core/org/org.js';
import { openDb, parseDatabaseUrl } from './db/client.js';
import { migrate } from './db/migrate.js';
import { openStores } from './db/stores/index.js';

export interface OpenCoreOptions {
  databaseUrl?: string;
  orgConfig: string;
  clock?: Clock;
}

export async function openCore(o: OpenCoreOptions): Promise<Core & { applied: string[] }> {
  const org = new Org(loadOrgFile(o.orgConfig));
  const target = parseDatabaseUrl(o.databaseUrl);
  const applied = await migrate(target);
  const db = await openDb(target);
  return { stores: openStores(db), db, org, clock: o.clock ?? systemClock, provider: target.provider, applied };
}
