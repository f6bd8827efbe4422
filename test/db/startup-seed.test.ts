import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type OpenedCore } from '../../src/bootstrap.js';
import { DEMO_ORG } from '../../src/config.js';
import { DEMO_CUSTOMERS, seedDemoCustomers } from '../../src/db/seed-demo.js';
import { freshDatabaseUrl } from '../helpers/core.js';

const REGISTER = readFileSync(DEMO_CUSTOMERS, 'utf8').trim().split('\n').length - 1; // without the header

/** One instance's start as src/main.ts does it on the demo organisation: migrate, open, seed. */
async function start(url: string): Promise<{ core: OpenedCore; created: number; customersWhenReady: number }> {
  const core = await openCore({ databaseUrl: url, orgConfig: DEMO_ORG });
  const created = await core.exclusive(() => seedDemoCustomers(core));
  return { core, created, customersWhenReady: await core.stores.customers.count() };
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

describe('two instances starting together on a fresh database', () => {
  it('the second waits for the first to load the demo register: both start with all of it, loaded once', async () => {
    // a few rounds: without the lock the second instance's check lands mid-import or before it at random
    for (let round = 0; round < 3; round++) {
      const fresh = freshDatabaseUrl();
      const [a, b] = await Promise.all([start(fresh.url), start(fresh.url)]);
      cleanup.push(async () => {
        await a.core.close();
        await b.core.close();
        await fresh.drop();
      });
      expect([a.customersWhenReady, b.customersWhenReady]).toEqual([REGISTER, REGISTER]);
      expect([a.created, b.created].sort((x, y) => x - y)).toEqual([0, REGISTER]);
    }
  });

  it('a start on a database already seeded loads nothing', async () => {
    const fresh = freshDatabaseUrl();
    const first = await start(fresh.url);
    const again = await start(fresh.url);
    cleanup.push(async () => {
      await first.core.close();
      await again.core.close();
      await fresh.drop();
    });
    expect(again.created).toBe(0);
    expect(again.customersWhenReady).toBe(REGISTER);
  });
});
