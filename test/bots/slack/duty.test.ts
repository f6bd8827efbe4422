/**
 * Who is on duty now (R4), through the real Slack app: the demo organisation's roster has
 * jinqiao's field team by day (萧芳, 08:00-20:00) and by night (程勇, 20:00-08:00); its office has
 * no shifts, so its onDuty flag (董桂英) still pages. Times in comments are company time (UTC+8).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import {
  cardOf,
  clickOn,
  elementsOf,
  lastModal,
  makeSlackHarness,
  slackButton,
  slackViewSubmission,
  textOf,
  toldTo,
  type SlackHarness,
} from '../../helpers/slack.js';

const J = { coord: 'U28DEMO028', day: 'U29DEMO029', night: 'U30DEMO030', head: 'U27DEMO027' } as const;
const DISPATCH = 'C1JINQIAD';

let h: SlackHarness;
beforeAll(async () => {
  h = await makeSlackHarness();
});
afterAll(() => h?.close());

const setClock = (iso: string) => h.core.clock.set(new Date(iso));

/** An urgent leak in 金桥新村 (jinqiao) and who its urgent alert calls by name. */
async function leakAlertCalls(): Promise<string> {
  const t = await createTicket(h.core, hotlineComplaint({ category: 'leak', description: '楼道跑水', customerAccount: undefined, communityId: 'c035' }));
  await h.drain();
  return (await cardOf(h, t.id, 'urgent')).text ?? '';
}

const handoverMessageIn = (channel: string) => h.fake.channelMessages(channel).findLast((m) => textOf(m).includes('交接班 · 金桥供热分公司'))!;

describe('who is on duty now (R4)', () => {
  it('at 03:00 the night-shift person is paged for an urgent leak and the day person is not', async () => {
    setClock('2026-11-28T19:00:00Z'); // 03:00
    const calls = await leakAlertCalls();
    expect(calls).toContain(`<@${J.night}>`);
    expect(calls).toContain(`<@${J.coord}>`); // the office has no shifts: its onDuty flag
    expect(calls).not.toContain(`<@${J.day}>`);

    setClock('2026-11-29T07:00:00Z'); // 15:00
    const day = await leakAlertCalls();
    expect(day).toContain(`<@${J.day}>`);
    expect(day).not.toContain(`<@${J.night}>`);
  });

  it('the duty stays with the outgoing person until the incoming one signs at 20:05, then paging goes to them', async () => {
    setClock('2026-11-29T11:55:00Z'); // 19:55
    await h.slash(J.day, '/handover', '', DISPATCH);
    await h.submit(slackViewSubmission(J.day, 'duty.handover', { summary: '3号楼跑水已关阀，明早换管' }, lastModal(h).meta));
    const posted = handoverMessageIn(DISPATCH);
    expect(elementsOf(posted.blocks).map((e) => e.action_id)).toEqual(['handover.accept', 'handover.object']);

    setClock('2026-11-29T12:02:00Z'); // 20:02: the roster says night, nobody has signed yet
    const unsigned = await leakAlertCalls();
    expect(unsigned).toContain(`<@${J.day}>`);
    expect(unsigned).not.toContain(`<@${J.night}>`);

    setClock('2026-11-29T12:05:00Z'); // 20:05
    await clickOn(h, J.night, posted, 'handover.accept');
    const moved = await h.core.db.dutyAssignment.findFirstOrThrow({ where: { staffId: 'jinqiao-field2' } });
    expect(moved).toMatchObject({
      branchId: 'jinqiao',
      unitId: 'jinqiao-field',
      from: new Date('2026-11-29T12:05:00Z'),
      until: new Date('2026-11-30T00:00:00Z'), // the end of the night shift, 08:00
      source: 'handover',
    });
    const signed = await leakAlertCalls();
    expect(signed).toContain(`<@${J.night}>`);
    expect(signed).not.toContain(`<@${J.day}>`);
  });

  it('an objection keeps the duty with the outgoing person and tells them, the coordinator and the leaders', async () => {
    setClock('2026-11-30T11:55:00Z'); // 19:55 the next day
    await h.slash(J.day, '/handover', '', DISPATCH);
    await h.submit(slackViewSubmission(J.day, 'duty.handover', { summary: '一切正常' }, lastModal(h).meta));
    const posted = handoverMessageIn(DISPATCH);

    setClock('2026-11-30T12:05:00Z'); // 20:05
    await clickOn(h, J.night, posted, 'handover.object');
    const { view, meta } = lastModal(h);
    expect(view.callback_id).toBe('duty.objection');
    expect(textOf(view)).toContain('值班仍由交班人 萧芳 负责');
    const empty = await h.submit(slackViewSubmission(J.night, 'duty.objection', { reason: ' ' }, meta));
    expect(empty.json()).toEqual({ response_action: 'errors', errors: { reason: '请写明异议内容。' } });
    await h.submit(slackViewSubmission(J.night, 'duty.objection', { reason: '5号楼跑水未写入交接' }, meta));

    const stored = await h.core.db.handover.findFirstOrThrow({ where: { id: JSON.parse(meta).h } });
    expect(stored).toMatchObject({ objection: '5号楼跑水未写入交接', objectedAt: new Date('2026-11-30T12:05:00Z'), incomingStaffId: null });
    const notice = h.fake.channelMessages(DISPATCH).findLast((m) => textOf(m).includes('有异议'))!;
    expect(notice.text).toBe(
      `<@${J.day}> <@${J.head}> <@${J.coord}> 程勇 对 萧芳 2026-11-30 19:55 的交接班有异议：5号楼跑水未写入交接\n在有人签字接班之前，值班仍由 萧芳 负责。`,
    );
    const shown = h.fake.message(posted.channel, posted.ts)!;
    expect(textOf(shown)).toContain('程勇 有异议，未签字（2026-11-30 20:05）：5号楼跑水未写入交接');
    expect(elementsOf(shown.blocks).map((e) => e.action_id)).toEqual(['handover.accept']);

    setClock('2026-11-30T12:10:00Z'); // 20:10
    const objected = await leakAlertCalls();
    expect(objected).toContain(`<@${J.day}>`);
    expect(objected).not.toContain(`<@${J.night}>`);

    setClock('2026-11-30T12:20:00Z'); // 20:20: checked again, and signed
    await clickOn(h, J.night, h.fake.message(posted.channel, posted.ts)!, 'handover.accept');
    expect(await leakAlertCalls()).toContain(`<@${J.night}>`);
  });

  it('/duty shows who is on duty now per unit and the handovers signed, objected to and open, a page at a time', async () => {
    setClock('2026-11-30T13:00:00Z'); // 21:00
    for (let i = 1; i <= 10; i++) await h.slash(J.coord, '/duty', `巡查记录 ${i}`);
    await h.slash(J.coord, '/duty');
    const page1 = h.fake.ephemeralsFor(J.coord).at(-1)!;
    const text = textOf(page1);
    expect(text).toContain('现在值班 · 金桥供热分公司（21:00）');
    expect(text).toContain('*客服处*: 董桂英 (值班标记)');
    expect(text).toContain('*运营所服务队*: 程勇 (交接班接班，至 2026-12-01 08:00)');
    expect(text).toContain('• 2026-11-30 19:55 萧芳 交班 → 程勇 有异议（2026-11-30 20:05）：5号楼跑水未写入交接；程勇 于 2026-11-30 20:20 签字接班');
    expect(text).toContain('• 2026-11-29 19:55 萧芳 交班 → 程勇 于 2026-11-29 20:05 签字接班');
    expect(text).toContain('董桂英: 巡查记录 10');
    expect(text).not.toContain('5号楼跑水未写入交接\n'); // the objection's log line is on the next page, behind ten newer entries
    const more = elementsOf(page1.blocks).find((e) => e.action_id === 'duty.more');
    expect(more).toBeDefined();

    await h.click(slackButton(J.coord, 'duty.more', more.value, { channel: DISPATCH }));
    const page2 = textOf(h.fake.ephemeralsFor(J.coord).at(-1)!);
    expect(page2).toContain('第 2 页');
    expect(page2).toContain('程勇: 5号楼跑水未写入交接');
    expect(page2).toContain('暂无交接班记录');

    await h.slash(J.coord, '/duty', '2');
    expect(textOf(h.fake.ephemeralsFor(J.coord).at(-1)!)).toBe(page2);
    await h.slash(J.coord, '/duty', '22:10 7号楼跑水，已通知抢修');
    expect(toldTo(h, J.coord).at(-1)).toBe('已记入金桥供热分公司工作日志（2026-11-30 21:00）。');
  });

  it('an open handover shows as waiting for the signature', async () => {
    setClock('2026-11-30T23:55:00Z'); // 07:55
    await h.slash(J.night, '/handover', '', DISPATCH);
    await h.submit(slackViewSubmission(J.night, 'duty.handover', { summary: '夜间平稳' }, lastModal(h).meta));
    h.core.clock.advance(MINUTE);
    await h.slash(J.head, '/duty');
    expect(textOf(h.fake.ephemeralsFor(J.head).at(-1)!)).toContain('• 2026-12-01 07:55 程勇 交班 → 待接班人签字');
  });
});
