import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneOldRows } from '../../../src/core/housekeeping/prune-old-rows.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
beforeAll(async () => {
  core = await makeTestCore();
});
afterAll(() => core?.close());

const DAY = 86_400_000;

describe('housekeeping over a season', () => {
  it('drops receipts older than a week and messages delivered more than 30 days ago, nothing else', async () => {
    const now = core.clock.now().getTime();
    const at = (daysAgo: number) => new Date(now - daysAgo * DAY);
    // a season's worth of old receipts: more than one chunk of 5,000
    await core.db.inboundReceipt.createMany({ data: Array.from({ length: 5003 }, (_, i) => ({ key: `telegram:${i}`, receivedAt: at(8 + (i % 50)) })) });
    await core.db.inboundReceipt.createMany({
      data: [
        { key: 'telegram:yesterday', receivedAt: at(1) },
        { key: 'slack:6-days', receivedAt: at(6) },
      ],
    });
    const message = (key: string, state: string, sentDaysAgo: number | null, createdDaysAgo: number) => ({
      key,
      platform: 'slack',
      target: 'C1XINCHEN',
      kind: 'ticket_card',
      payload: '{}',
      state,
      nextAt: at(createdDaysAgo),
      createdAt: at(createdDaysAgo),
      sentAt: sentDaysAgo === null ? null : at(sentDaysAgo),
    });
    await core.db.outboxMessage.createMany({
      data: [
        message('sent-long-ago', 'sent', 40, 40),
        message('sent-last-week', 'sent', 7, 7),
        message('dead-long-ago', 'dead', null, 40), // kept: someone has to look at it
        message('pending-long-ago', 'pending', null, 40), // kept: still owed
      ],
    });

    expect(await pruneOldRows(core)).toEqual({ receipts: 5003, sentMessages: 1, expiredSessions: 0, expiredConversations: 0 });
    expect((await core.db.inboundReceipt.findMany({ orderBy: { key: 'asc' } })).map((r) => r.key)).toEqual(['slack:6-days', 'telegram:yesterday']);
    expect((await core.db.outboxMessage.findMany({ orderBy: { key: 'asc' } })).map((m) => m.key)).toEqual([
      'dead-long-ago',
      'pending-long-ago',
      'sent-last-week',
    ]);
    expect(await pruneOldRows(core)).toEqual({ receipts: 0, sentMessages: 0, expiredSessions: 0, expiredConversations: 0 });
  });

  it('drops dashboard sessions once they have expired, signed out or not, and keeps live ones', async () => {
    const now = core.clock.now().getTime();
    const session = (id: string, createdHoursAgo: number, revoked = false) => ({
      id,
      staffId: 'xincheng-head',
      role: 'leader',
      branchId: 'xincheng',
      createdAt: new Date(now - createdHoursAgo * 3600_000),
      expiresAt: new Date(now - createdHoursAgo * 3600_000 + 12 * 3600_000),
      revokedAt: revoked ? new Date(now - 3600_000) : null,
    });
    await core.db.staffSession.createMany({
      data: [session('expired', 13), session('expired-signed-out', 20, true), session('live', 2), session('live-signed-out', 3, true)],
    });
    expect((await pruneOldRows(core)).expiredSessions).toBe(2);
    expect((await core.db.staffSession.findMany({ orderBy: { id: 'asc' } })).map((s) => s.id)).toEqual(['live', 'live-signed-out']);
  });

  it("drops the bot's conversations whose question has lapsed, and keeps those still waiting or without a lapse", async () => {
    const now = core.clock.now();
    const conversations = core.stores.conversations;
    await conversations.write('chat-lapsed', '{"pending":{}}', new Date(now.getTime() - 60_000), now);
    await conversations.write('chat-waiting', '{"pending":{}}', new Date(now.getTime() + 60_000), now);
    await conversations.write('chat-no-lapse', '{}', null, now);
    expect((await pruneOldRows(core)).expiredConversations).toBe(1);
    expect((await core.db.conversation.findMany({ orderBy: { key: 'asc' } })).map((c) => c.key)).toEqual(['chat-no-lapse', 'chat-waiting']);
  });
});
