/**
 * A resident who complains about a member of staff (R31-R33) is told the complaint was received
 * and that the centre investigates it, then that it was handled; never the finding, the evidence
 * or the name of the staff member concerned.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { nameConductStaff } from '../../../src/core/conduct/name-conduct-staff.js';
import { recordConductFinding } from '../../../src/core/conduct/record-conduct-finding.js';
import { recordCallback } from '../../../src/core/tickets/record-callback.js';
import { bindByPhone, startTelegramHarness, telegramUser, type Harness, type TgUser } from '../../helpers/telegram.js';

let h: Harness;
let nextUser = 9300;
const numberIn = (text: string) => /[TSQP]\d{8}-\d{4}/.exec(text)?.[0] ?? '';
const EVIDENCE = '调取通话录音，吴娟确有辱骂居民的行为';

async function complained(): Promise<{ u: TgUser; number: string }> {
  const u = telegramUser(++nextUser);
  await bindByPhone(h, u);
  await h.say(u, '上门的师傅态度特别差，还骂人');
  await h.tap(u, '提交');
  return { u, number: numberIn(h.lastText(u)) };
}

beforeAll(async () => {
  h = await startTelegramHarness();
});
beforeEach(() => h.core.clock.set('2026-11-28T06:00:00Z'));
afterAll(() => h.close());

describe('the resident of a conduct complaint (R31-R33)', () => {
  it('hears the complaint was received and that the centre investigates it, not which branch handles it', async () => {
    const { u, number } = await complained();
    const said = h.lastText(u);
    expect(said).toContain(number);
    expect(said).toContain('您对工作人员的投诉已受理，客户服务中心将调查处理');
    expect(said).not.toContain('负责单位');
    const t = await h.core.db.ticket.findUniqueOrThrow({ where: { number } });
    expect(t).toMatchObject({ category: 'staff_conduct', branchId: null, status: 'dispatched' });
  });

  it('hears it was handled and rates the handling, and at the close that it was closed, never the finding or the person named (R32)', async () => {
    const { u, number } = await complained();
    const before = h.botTexts(u).length;
    h.core.clock.advance(10 * MINUTE);
    await nameConductStaff(h.core, { number, actor: 'staff:agent01', staffId: 'xincheng-field1' });
    await h.drain();
    expect(h.botTexts(u)).toHaveLength(before);
    await recordConductFinding(h.core, { number, actor: 'staff:agent01', finding: 'attitude', evidence: EVIDENCE });
    await h.drain();
    const told = h.botTexts(u).slice(before);
    expect(told.join('\n')).toContain(`${number}：您对工作人员的投诉已调查处理完毕`);
    await h.tap(u, '满意');
    await h.drain();
    const all = h.botTexts(u).slice(before).join('\n');
    // the rating the resident gave closes it, and the bot's thanks say so
    expect(h.lastText(u)).toContain(`工单 ${number} 已办结`);
    expect((await h.core.db.ticket.findUniqueOrThrow({ where: { number } })).status).toBe('closed');
    await h.say(u, `/status ${number}`);
    const status = h.lastText(u);
    expect(status).toContain('客户服务中心已调查处理完毕');
    for (const secret of [EVIDENCE, '吴娟', '1002', '属实', '岗位津贴', '辞退']) {
      expect(all).not.toContain(secret);
      expect(status).not.toContain(secret);
    }
  });

  it('hears from the bot that it was closed when the centre called back by phone, without the finding (R8h, R32)', async () => {
    const { u, number } = await complained();
    await recordConductFinding(h.core, { number, actor: 'staff:agent01', finding: 'favours', evidence: EVIDENCE, staffId: 'xincheng-field1' });
    const t = await h.core.db.ticket.findUniqueOrThrow({ where: { number } });
    const cb = await h.core.db.callback.findFirstOrThrow({ where: { ticketId: t.id, status: 'pending' } });
    await recordCallback(h.core, { callbackId: cb.id, actor: 'staff:agent02', reached: true, satisfaction: 'satisfied' });
    await h.drain();
    expect(h.lastText(u)).toContain(`${number}：您对工作人员的投诉已处理办结`);
    expect(h.botTexts(u).join('\n')).not.toMatch(/吴娟|辞退|吃拿卡要|录音/);
  });
});
