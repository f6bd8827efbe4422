import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runnerOf } from '../../src/db/runner.js';
import { insertSql } from '../../src/db/statement.js';
import { makeTestCore, usingPostgres, type TestCore } from '../helpers/core.js';

let core: TestCore;
beforeAll(async () => {
  core = await makeTestCore();
});
afterAll(() => core?.close());

const receipts = async () => (await core.db.inboundReceipt.findMany({ orderBy: { key: 'asc' } })).map((r) => r.key);

describe.skipIf(usingPostgres)('the data layer and Prisma on SQLite’s one connection', () => {
  it('commits a group at once, and a failing member undoes only its own writes', async () => {
    const q = runnerOf(core.db);
    const at = new Date();
    const results = await Promise.allSettled([
      q.groupCommit((tx) => tx.run(insertSql('InboundReceipt', [{ key: 'a', receivedAt: at }]))),
      q.groupCommit(async (tx) => {
        await tx.run(insertSql('InboundReceipt', [{ key: 'b', receivedAt: at }]));
        throw new Error('this member fails after writing');
      }),
      q.groupCommit((tx) => tx.run(insertSql('InboundReceipt', [{ key: 'c', receivedAt: at }]))),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await receipts()).toEqual(['a', 'c']);
  });

  it('waits for an open Prisma transaction instead of writing into it', async () => {
    const q = runnerOf(core.db);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const prismaTx = core.db
      .$transaction(async (tx) => {
        await tx.inboundReceipt.create({ data: { key: 'in-prisma-tx', receivedAt: new Date() } });
        await gate;
        throw new Error('roll the Prisma transaction back');
      })
      .catch(() => 'rolled back');
    await new Promise((r) => setTimeout(r, 20));
    const ours = q.groupCommit((tx) => tx.run(insertSql('InboundReceipt', [{ key: 'ours', receivedAt: new Date() }])));
    await new Promise((r) => setTimeout(r, 20));
    release();
    expect(await prismaTx).toBe('rolled back');
    await ours;
    // ours survived the other transaction's rollback: it was not written inside it
    expect(await receipts()).toContain('ours');
    expect(await receipts()).not.toContain('in-prisma-tx');
  });

  it('makes Prisma’s own plain queries wait for an open transaction too, so another request’s rollback does not undo them', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const prismaTx = core.db
      .$transaction(async (tx) => {
        await tx.inboundReceipt.create({ data: { key: 'in-failing-tx', receivedAt: new Date() } });
        await gate;
        throw new Error('roll the Prisma transaction back');
      })
      .catch(() => 'rolled back');
    await new Promise((r) => setTimeout(r, 20));
    // another request's write and read while the transaction is open (Prisma's promises are
    // lazy: then() sends them now)
    const write = core.db.$executeRawUnsafe(`INSERT INTO "InboundReceipt" ("key", "receivedAt") VALUES ('plain-write', ?)`, Date.now()).then((n) => n);
    const read = core.db.$queryRawUnsafe<unknown[]>(`SELECT "key" FROM "InboundReceipt" WHERE "key" = 'in-failing-tx'`).then((rows) => rows);
    await new Promise((r) => setTimeout(r, 20));
    release();
    expect(await prismaTx).toBe('rolled back');
    await write;
    expect(await read).toEqual([]); // it never saw the uncommitted row
    expect(await receipts()).toContain('plain-write');
    expect(await receipts()).not.toContain('in-failing-tx');
  });
});
