/**
 * A real database for a test file: a fresh SQLite file, or, when TEST_DATABASE_URL is set, a
 * fresh schema in that PostgreSQL database. Migrations are applied exactly as at start-up.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ManualClock } from '../../src/core/clock.js';
import type { Core } from '../../src/core/context.js';
import { loadOrgFile, parseOrg } from '../../src/core/org/load-org.js';
import { Org } from '../../src/core/org/org.js';
import { DEMO_ORG } from '../../src/config.js';
import { openDb, parseDatabaseUrl, type Db, type Provider } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { openStores } from '../../src/db/stores/index.js';

export const PG_URL = process.env.TEST_DATABASE_URL;
export const usingPostgres = Boolean(PG_URL);

export interface TestCore extends Core {
  /** the Prisma client, for tests to set up and read stored rows */
  db: Db;
  provider: Provider;
  clock: ManualClock;
  databaseUrl: string;
  close(): Promise<void>;
}

export const demoOrg = () => new Org(loadOrgFile(DEMO_ORG));

/** A database URL for a fresh, empty database of the provider under test. */
export function freshDatabaseUrl(): { url: string; drop: () => Promise<void> } {
  if (PG_URL) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const u = new URL(PG_URL);
    u.searchParams.set('schema', schema);
    return {
      url: u.toString(),
      drop: async () => {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'heating-test-'));
  return { url: `file:${join(dir, 'test.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

export async function makeTestCore(opts: { org?: Org | unknown; start?: string; databaseUrl?: string } = {}): Promise<TestCore> {
  const fresh = opts.databaseUrl ? { url: opts.databaseUrl, drop: async () => {} } : freshDatabaseUrl();
  const target = parseDatabaseUrl(fresh.url);
  await migrate(target);
  const db = await openDb(target);
  const org = opts.org instanceof Org ? opts.org : opts.org ? new Org(parseOrg(opts.org)) : demoOrg();
  const clock = new ManualClock(opts.start ?? '2026-11-28T06:00:00Z');
  return {
    stores: openStores(db),
    db,
    org,
    clock,
    provider: target.provider,
    databaseUrl: fresh.url,
    close: async () => {
      await db.$disconnect();
      await fresh.drop();
    },
  };
}
