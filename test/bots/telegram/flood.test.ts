/** A flood from one account cannot fill the branches' queues (issue 8). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESIDENT_REPORTS_PER_MINUTE } from '../../../src/core/residents/file-resident-report.js';
import { startTelegramHarness, telegramUser, type Harness } from '../../helpers/telegram.js';

let h: Harness;
beforeAll(async () => {
  h = await startTelegramHarness();
});
afterAll(() => h?.close());

// Each report is typed as /report: a plain message while a leak ticket is open joins that ticket
// as a follow-up (follow-up.test.ts), which is what the issue asks; /report files a new one.
describe('a flood of reports from one resident', () => {
  it('files a few a minute, tells the resident when to try again, and files again after the minute', async () => {
    const u = telegramUser(7001);
    await h.say(u, '/bind 1010000000 1590');
    const before = await h.core.db.ticket.count();
    for (let i = 0; i < RESIDENT_REPORTS_PER_MINUTE + 2; i++) await h.say(u, `/report 楼上跑水了，第${i + 1}次`);
    expect(await h.core.db.ticket.count()).toBe(before + RESIDENT_REPORTS_PER_MINUTE);
    expect(h.lastText(u)).toBe('您一分钟内已经报了好几次了，我们都收到了。请在 14:01 以后再报新的问题；紧急情况请直接拨打客服热线 0471-96556。');
    // another resident is not held back
    const other = telegramUser(7002);
    await h.say(other, `/bind 1010007920 ${(await h.core.db.customer.findUniqueOrThrow({ where: { account: '1010007920' } })).phone.slice(-4)}`);
    await h.say(other, '家里暖气片漏水了');
    expect(await h.core.db.ticket.count()).toBe(before + RESIDENT_REPORTS_PER_MINUTE + 1);
    h.core.clock.advance(61_000);
    await h.say(u, '/report 楼上又跑水了');
    expect(await h.core.db.ticket.count()).toBe(before + RESIDENT_REPORTS_PER_MINUTE + 2);
  });
});
