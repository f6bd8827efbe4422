/**
 * The data layer's runner on the database under test (SQLite file, or PostgreSQL when
 * TEST_DATABASE_URL is set): statements written once behave the same on both.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRow } from '../../../src/db/codec.js';
import { runnerOf, type Runner } from '../../../src/db/runner.js';
import { insertSql, sql } from '../../../src/db/statement.js';
import type { InboundReceiptLike } from './types.js';
import { makeTestCore, PG_URL, usingPostgres, type TestCore } from '../../helpers/core.js';

let core: TestCore;
let q: Runner;
beforeAll(async () => {
  core = await makeTestCore();
  q = runnerOf(core.db);
});
afterAll(() => core.close());

const at = new Date('2026-12-06T01:02:03.456Z');

describe('the runner', () => {
  it('stores an instant and reads it back as the same instant', async () => {
    await q.run(insertSql('InboundReceipt', [{ key: 'r:1', receivedAt: at }]));
    const row = await q.get(sql`SELECT * FROM "InboundReceipt" WHERE "key" = ${'r:1'}`);
    expect(decodeRow<InboundReceiptLike>('InboundReceipt', row!).receivedAt.toISOString()).toBe(at.toISOString());
    expect(await q.get(sql`SELECT "key" FROM "InboundReceipt" WHERE "receivedAt" = ${at}`)).toEqual({ key: 'r:1' });
  });

  it('skips a row whose unique key is taken when asked to, and counts what it stored', async () => {
    expect(await q.run(insertSql('InboundReceipt', [{ key: 'r:2', receivedAt: at }], { onConflictDoNothing: 'key' }))).toBe(1);
    expect(await q.run(insertSql('InboundReceipt', [{ key: 'r:2', receivedAt: at }], { onConflictDoNothing: 'key' }))).toBe(0);
  });

  it('stores nothing of a transaction that fails', async () => {
    await expect(
      q.transaction(async (tx) => {
        await tx.run(insertSql('InboundReceipt', [{ key: 'r:3', receivedAt: at }]));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await q.get(sql`SELECT "key" FROM "InboundReceipt" WHERE "key" = ${'r:3'}`)).toBeUndefined();
  });

  it('undoes only the failing one of transactions that share a commit', async () => {
    const ok = q.groupCommit((tx) => tx.run(insertSql('InboundReceipt', [{ key: 'r:4', receivedAt: at }])));
    const bad = q.groupCommit(async (tx) => {
      await tx.run(insertSql('InboundReceipt', [{ key: 'r:5', receivedAt: at }]));
      throw new Error('this one fails');
    });
    // both settle on their own (on PostgreSQL they are separate transactions): watch both at once,
    // or the failing one may reject before anything listens
    await Promise.all([expect(ok).resolves.toBe(1), expect(bad).rejects.toThrow('this one fails')]);
    const keys = await q.all<{ key: string }>(sql`SELECT "key" FROM "InboundReceipt" WHERE "key" IN ${sql.list(['r:4', 'r:5'])}`);
    expect(keys.map((k) => k.key)).toEqual(['r:4']);
  });

  it('keeps a Prisma query out of a transaction that is open', async () => {
    let outside: Promise<unknown> | undefined;
    await q
      .transaction(async (tx) => {
        await tx.run(insertSql('InboundReceipt', [{ key: 'r:6', receivedAt: at }]));
        // started while the transaction is open: it must not see the uncommitted row
        outside = core.db.inboundReceipt.findUnique({ where: { key: 'r:6' } });
        await new Promise((r) => setImmediate(r));
        throw new Error('roll back');
      })
      .catch(() => {});
    expect(await outside).toBeNull();
  });
});

describe.runIf(usingPostgres)('the runner on PostgreSQL', () => {
  it('fails a transaction whose connection is terminated between two statements, and goes on with a new one', async () => {
    const killer = new pg.Client({ connectionString: PG_URL });
    await killer.connect();
    try {
      const tx = q.transaction(async (t) => {
        await t.run(insertSql('InboundReceipt', [{ key: 'r:killed', receivedAt: at }]));
        const { pid } = (await t.get<{ pid: number }>(sql`SELECT pg_backend_pid() AS "pid"`))!;
        await killer.query('SELECT pg_terminate_backend($1)', [pid]);
        // the backend is gone while this transaction holds the connection between statements
        await new Promise((r) => setTimeout(r, 100));
        await t.run(insertSql('InboundReceipt', [{ key: 'r:after-kill', receivedAt: at }]));
      });
      await expect(tx).rejects.toThrow();
      expect(await q.all(sql`SELECT "key" FROM "InboundReceipt" WHERE "key" IN ${sql.list(['r:killed', 'r:after-kill'])}`)).toEqual([]);
      await q.transaction((t) => t.run(insertSql('InboundReceipt', [{ key: 'r:next', receivedAt: at }])));
      expect(await q.get(sql`SELECT "key" FROM "InboundReceipt" WHERE "key" = ${'r:next'}`)).toEqual({ key: 'r:next' });
    } finally {
      await killer.end();
    }
  });
});
