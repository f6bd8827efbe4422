/**
 * SQLite busy (issue 8): another connection holds the write lock for a while, as a backup or a
 * migration would. Requests wait for it (the connection's busy timeout, 10 s) or, past it, are
 * answered 503 database_unavailable and delivered again by Telegram; nothing is stored by halves,
 * and the loop runs to the end. (The long version holds the lock past the busy timeout.)
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/db/client.js';
import type { World } from '../../tools/sim/world.js';
import { usingPostgres } from '../helpers/core.js';
import { expectWholeLoop, pick, runDrill, sleep } from './drill.js';

/** BEGIN IMMEDIATE on a second connection (in this process: the service's own stays free to wait), COMMIT after `ms`. */
async function holdWriteLock(world: World, ms: number): Promise<{ from: number; to: number }> {
  const db = new Database(parseDatabaseUrl(world.databaseUrl).url);
  db.exec('BEGIN IMMEDIATE');
  const from = Date.now();
  await sleep(ms);
  db.exec('COMMIT');
  db.close();
  return { from, to: Date.now() };
}

describe.skipIf(usingPostgres)('SQLite busy', () => {
  it('answers every request once the lock is gone and stores nothing by halves', { timeout: pick(150_000, 900_000) }, async () => {
    let held: { from: number; to: number } | undefined;
    const d = await runDrill({
      play: {
        residents: pick(6, 30),
        // while reports come in and staff click
        milestones: [{ at: 0.3, run: (world) => void holdWriteLock(world, pick(3_000, 12_000)).then((h) => (held = h)) }],
      },
    });
    expect(held).toBeDefined();
    expectWholeLoop(d);
    // whatever was refused was refused as "try again" with a code (and delivered again), never with a crash
    for (const r of d.world.latency.refusals)
      expect({ status: r.status, code: JSON.parse(r.body).code }).toEqual({ status: 503, code: 'database_unavailable' });
    expect(d.world.service.crashes).toEqual([]);
  });
});
