import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../../src/core/clock.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { clickOn, elementsOf, lastModal, makeSlackHarness, slackViewSubmission, textOf, toldTo, U, type SlackHarness } from '../../helpers/slack.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await makeSlackHarness();
});
afterAll(() => h?.close());

describe('shift handover (R4)', () => {
  it('is written and signed by the outgoing person and countersigned by the incoming one; both signatures and times are stored', async () => {
    const leak = await createTicket(h.core, hotlineComplaint({ category: 'leak', description: '楼道跑水' }));
    await createTicket(h.core, hotlineComplaint({ description: '普通不热' }));
    await createTicket(h.core, hotlineComplaint({ category: 'leak', description: '别的分公司跑水', customerAccount: undefined, communityId: 'c010' }));
    await h.slash(U.xinchengCoord, '/duty', '幸福家园17号楼跑水，已派抢修');
    h.core.clock.advance(8 * HOUR); // 22:00

    await h.slash(U.xinchengCoord, '/handover', '', 'C1XINCHED');
    const { view, meta } = lastModal(h);
    expect(view.callback_id).toBe('duty.handover');
    const overview = textOf(view);
    expect(overview).toContain(`${leak.number} 跑水/漏水 · 紧急 · 已派单`);
    expect(overview).not.toContain('普通不热');
    expect(overview.match(/T\d{8}-\d{4}/g)).toEqual([leak.number]); // only this branch's open urgent tickets
    expect(overview).toContain('2026-11-28 14:00 周静: 幸福家园17号楼跑水，已派抢修');
    expect(overview).toContain('尚无交接记录');

    const empty = await h.submit(slackViewSubmission(U.xinchengCoord, 'duty.handover', { summary: ' ' }, meta));
    expect(empty.json()).toEqual({ response_action: 'errors', errors: { summary: '请填写交接内容。' } });
    await h.submit(slackViewSubmission(U.xinchengCoord, 'duty.handover', { summary: '17号楼跑水抢修中，明早回访' }, meta));

    // as the channel showed it before anyone signed (the fake's message object is updated in place)
    const posted = structuredClone(h.fake.channelMessages('C1XINCHED').find((m) => textOf(m).includes('交接班 · 新城供热分公司'))!);
    expect(textOf(posted)).toContain('17号楼跑水抢修中，明早回访');
    expect(textOf(posted)).toContain('交班人：周静，签字时间 2026-11-28 22:00');
    expect(elementsOf(posted.blocks).map((e) => e.action_id)).toEqual(['handover.accept', 'handover.object']); // R4: sign, or object instead

    await clickOn(h, U.xinchengCoord, posted, 'handover.accept');
    expect(toldTo(h, U.xinchengCoord).at(-1)).toBe('交班人不能为自己确认接班。');
    await clickOn(h, U.huiminCoord, posted, 'handover.accept');
    expect(toldTo(h, U.huiminCoord).at(-1)).toContain('不属于您所在的分公司');

    h.core.clock.advance(5 * MINUTE);
    await clickOn(h, U.xinchengField2, posted, 'handover.accept');
    await clickOn(h, U.xinchengField, posted, 'handover.accept');
    expect(toldTo(h, U.xinchengField).at(-1)).toBe('已由 徐刚 于 2026-11-28 22:05 处理，无需重复操作。');

    const stored = await h.core.db.handover.findFirstOrThrow({ where: { branchId: 'xincheng' } });
    expect(stored).toMatchObject({
      outgoingStaffId: 'xincheng-coord',
      outgoingSignedAt: new Date('2026-11-28T14:00:00Z'),
      incomingStaffId: 'xincheng-field2',
      incomingSignedAt: new Date('2026-11-28T14:05:00Z'),
      summary: '17号楼跑水抢修中，明早回访',
      openUrgent: JSON.stringify([leak.number]),
    });
    const signed = h.fake.message(posted.channel, posted.ts)!;
    expect(textOf(signed)).toContain('接班人：徐刚，签字时间 2026-11-28 22:05');
    expect(elementsOf(signed.blocks)).toEqual([]);
  });

  it('summarises only the log written since the last handover', async () => {
    h.core.clock.advance(HOUR);
    await h.slash(U.xinchengField2, '/duty', '夜班巡查正常');
    await h.slash(U.xinchengField2, '/handover', '', 'C1XINCHED');
    const overview = textOf(lastModal(h).view);
    expect(overview).toContain('徐刚: 夜班巡查正常');
    expect(overview).not.toContain('已派抢修');
    expect(overview).toContain('自 2026-11-28 22:00 上次交接以来');
  });
});
