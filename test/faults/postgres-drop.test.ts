/**
 * PostgreSQL connections dropped (issue 8; runs when TEST_DATABASE_URL is set): every backend of
 * the service is terminated with pg_terminate_backend mid-run, as a failover or a DBA would. The
 * pool opens new connections, requests in flight are answered with an error code and delivered
 * again, and the loop runs to the end with nothing lost or doubled.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freshDatabaseUrl, PG_URL, usingPostgres } from '../helpers/core.js';
import { expectWholeLoop, pick, runDrill } from './drill.js';

/** Terminates every backend that connected with this application_name; how many there were. */
async function terminateBackends(applicationName: string): Promise<number> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    const r = await c.query('SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
    return r.rows.filter((x) => x.ok).length;
  } finally {
    await c.end();
  }
}

describe.runIf(usingPostgres)('PostgreSQL connections dropped', () => {
  it('recovers when every connection of the service is terminated mid-run', { timeout: pick(150_000, 900_000) }, async () => {
    const fresh = freshDatabaseUrl();
    const name = `heating_drill_${randomBytes(4).toString('hex')}`;
    // the service connects under its own application_name, so that only its backends are cut
    const serviceUrl = new URL(fresh.url);
    serviceUrl.searchParams.set('application_name', name);
    const cuts: number[] = [];
    try {
      const d = await runDrill({
        world: { databaseUrl: fresh.url, env: { DATABASE_URL: serviceUrl.toString() } },
        play: {
          residents: pick(6, 30),
          milestones: pick([0.4], [0.2, 0.4, 0.6, 0.8]).map((at) => ({ at, run: async () => void cuts.push(await terminateBackends(name)) })),
        },
      });
      expect(cuts.length).toBeGreaterThan(0);
      expect(cuts.every((n) => n > 0)).toBe(true);
      expect(d.world.service.crashes).toEqual([]);
      expectWholeLoop(d);
    } finally {
      await fresh.drop();
    }
  });
});
