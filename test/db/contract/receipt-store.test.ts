/**
 * The inbound receipts on the database under test (SQLite file, or PostgreSQL when
 * TEST_DATABASE_URL is set): a Telegram update or Slack event is handled once, also after a
 * restart, the same on both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiptStore } from '../../../src/core/ports/receipt-store.js';
import { runnerOf } from '../../../src/db/runner.js';
import { receiptSql } from '../../../src/db/stores/receipt-store.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
let receipts: ReceiptStore;
beforeAll(async () => {
  core = await makeTestCore();
  receipts = core.stores.receipts;
});
afterAll(() => core.close());

const now = new Date('2026-11-28T06:00:00.000Z');

describe('the receipt store', () => {
  it('recognises a replayed update', async () => {
    expect(await receipts.first('telegram:1001', now)).toBe(true);
    expect(await receipts.first('telegram:1001', now)).toBe(false);
    const stored = await core.db.inboundReceipt.findUniqueOrThrow({ where: { key: 'telegram:1001' } });
    expect(stored.receivedAt.toISOString()).toBe(now.toISOString());
  });

  it('takes exactly one of two copies that arrive at once', async () => {
    const both = await Promise.all([receipts.first('slack:Ev1', now), receipts.first('slack:Ev1', now)]);
    expect(both.sort()).toEqual([false, true]);
    const many = await Promise.all(Array.from({ length: 20 }, (_, i) => receipts.first(`telegram:${2000 + (i % 5)}`, now)));
    expect(many.filter(Boolean)).toHaveLength(5);
  });

  it('recognises a replayed update after a restart', async () => {
    expect(await receipts.first('telegram:3001', now)).toBe(true);
    const restarted = await makeTestCore({ databaseUrl: core.databaseUrl });
    try {
      expect(await restarted.stores.receipts.first('telegram:3001', now)).toBe(false);
      expect(await restarted.stores.receipts.first('telegram:3002', now)).toBe(true);
    } finally {
      await restarted.db.$disconnect();
    }
    expect(await receipts.first('telegram:3002', now)).toBe(false);
  });

  it('handles a retry once the receipt of a failed handling is forgotten', async () => {
    expect(await receipts.first('slack:Ev2', now)).toBe(true);
    await receipts.forget('slack:Ev2');
    expect(await receipts.first('slack:Ev2', now)).toBe(true);
    expect(await receipts.first('slack:Ev2', now)).toBe(false);
    await receipts.forget('slack:never-seen');
  });

  it('says whether a request was handled, and records a handled one with the keys it acted on once', async () => {
    expect(await receipts.seen('telegram:4001')).toBe(false);
    await receipts.record(['telegram:4001', 'telegram:once:paid-own:77:5'], now);
    expect(await receipts.seen('telegram:4001')).toBe(true);
    expect(await receipts.seen('telegram:once:paid-own:77:5')).toBe(true);
    // recorded again (a filing stored one of them already): no error, the first time kept
    await receipts.record(['telegram:4001', 'telegram:4001', 'telegram:4002'], new Date(now.getTime() + 60_000));
    const kept = await core.db.inboundReceipt.findUniqueOrThrow({ where: { key: 'telegram:4001' } });
    expect(kept.receivedAt.toISOString()).toBe(now.toISOString());
    expect(await receipts.seen('telegram:4002')).toBe(true);
    await Promise.all([receipts.record(['slack:Ev9'], now), receipts.record(['slack:Ev9'], now)]);
    expect(await core.db.inboundReceipt.count({ where: { key: 'slack:Ev9' } })).toBe(1);
  });

  it('keeps no receipt taken inside a transaction that fails, so the retry is handled', async () => {
    const q = runnerOf(core.db);
    await expect(
      q.transaction(async (tx) => {
        expect(await tx.run(receiptSql('slack:view:V1', now))).toBe(1);
        expect(await tx.run(receiptSql('slack:view:V1', now))).toBe(0);
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(await receipts.first('slack:view:V1', now)).toBe(true);
  });
});
