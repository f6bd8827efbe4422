/**
 * Service forms back at HQ (R8l), the price list (R11, R12) and paid work at resolve (R12,
 * R14/R15), through the real Slack app against the fake Slack API. The clock is 2026-12-06
 * 10:00 company time; a form is overdue 15 days after its service date.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { cardOf, clickOn, elementsOf, lastModal, makeSlackHarness, slackViewSubmission, textOf, toldTo, U, type SlackHarness } from '../../helpers/slack.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await makeSlackHarness();
  h.core.clock.set(new Date('2026-12-06T02:00:00Z'));
});
afterAll(() => h?.close());

const lastTold = (user: string) => h.fake.ephemeralsFor(user).at(-1)!;

/** A ticket of the community's branch with a service form of that day (10:00 company time). */
async function withForm(communityId: string, month: number, day: number): Promise<string> {
  const t = await createTicket(h.core, hotlineComplaint({ customerAccount: undefined, communityId }));
  const serviceDate = new Date(Date.UTC(2026, month - 1, day, 2));
  await h.core.db.serviceForm.create({ data: { ticketId: t.id, workDone: '排气', serviceDate, createdBy: 'staff:xincheng-field1' } });
  return t.number;
}

describe('/forms: service forms not back at HQ (R8l)', () => {
  const xincheng: string[] = [];
  let jinqiao: string;
  beforeAll(async () => {
    for (let d = 1; d <= 12; d++) xincheng.push(await withForm('c001', 10, d));
    jinqiao = await withForm('c035', 10, 20);
    await withForm('c001', 12, 1); // not due yet
  });

  it('lists every overdue form ten a page with a 已交回 button each, and pages on with 下一页 (R8l)', async () => {
    await h.slash(U.agent, '/forms');
    const page1 = lastTold(U.agent);
    const text = textOf(page1);
    expect(text).toContain('未交回总部的客户服务单 · 全部分公司');
    expect(text).toContain('共 *13* 张超过半个月未交回总部');
    expect(text).toContain('第 1/2 页');
    expect(text).toContain(`*${xincheng[0]}* · 新城供热分公司 · 服务日期 2026-10-01 · 已超期`);
    const ids = elementsOf(page1.blocks).map((e) => e.action_id);
    expect(ids.filter((id) => id === 'forms.returned')).toHaveLength(10);
    expect(ids).toEqual(expect.arrayContaining(['forms.page.next', 'forms.bulk_open']));
    expect(ids).not.toContain('forms.page.prev');

    await clickOn(h, U.agent, page1, 'forms.page.next');
    const page2 = textOf(lastTold(U.agent));
    expect(page2).toContain('第 2/2 页');
    expect(page2).toContain(xincheng[11]);
    expect(page2).toContain(jinqiao);
    expect(page2).not.toContain(`*${xincheng[0]}*`);
  });

  it('marks the form of the clicked line back at HQ and shows the list without it; a second mark says who did it and when (R8l)', async () => {
    await h.slash(U.agent, '/forms', 'xincheng');
    const list = lastTold(U.agent);
    expect(textOf(list)).toContain('共 *12* 张');
    await clickOn(h, U.agent, list, 'forms.returned'); // the first line: the oldest
    const after = textOf(lastTold(U.agent));
    expect(after).toContain(`已标记 *${xincheng[0]}*（新城供热分公司）的客户服务单交回总部`);
    expect(after).toContain('共 *11* 张');
    expect(await h.core.db.serviceForm.findFirstOrThrow({ where: { ticket: { number: xincheng[0] } } })).toMatchObject({
      hqReturnedBy: 'staff:agent01',
      hqReturnedAt: new Date('2026-12-06T02:00:00Z'),
    });
    // a colleague clicks the same line on the list they had open
    await clickOn(h, U.agent2, list, 'forms.returned');
    expect(toldTo(h, U.agent2).at(-1)).toBe(`${xincheng[0]} 的客户服务单已于 2026-12-06 10:00 由 李磊 标记交回，无需重复标记。`);
  });

  it('shows branch staff their own branch without buttons, and refuses their click (R8l)', async () => {
    await h.slash(U.xinchengCoord, '/forms');
    const own = lastTold(U.xinchengCoord);
    expect(textOf(own)).toContain('未交回总部的客户服务单 · 新城供热分公司');
    expect(textOf(own)).not.toContain(jinqiao);
    expect(elementsOf(own.blocks).map((e) => e.action_id)).not.toContain('forms.returned');
    const agentList = lastTold(U.agent);
    await clickOn(h, U.xinchengCoord, agentList, 'forms.returned');
    expect(toldTo(h, U.xinchengCoord).at(-1)).toBe('此操作仅限客户服务中心人员。');
  });

  it('answers a word it does not know with the usage and the branch ids (R8l)', async () => {
    await h.slash(U.agent, '/forms', 'xinchen');
    expect(toldTo(h, U.agent).at(-1)).toMatch(/^看不懂“xinchen”。用法：\/forms \[分公司代码\|all\] \[页码\]。分公司代码：xincheng, /);
  });

  it('marks a bundle by branch and service dates from the modal: 已标记 N 张; a bad range answers in the modal (R8l)', async () => {
    await h.slash(U.agent, '/forms', 'xincheng');
    await clickOn(h, U.agent, lastTold(U.agent), 'forms.bulk_open');
    const { view, meta } = lastModal(h);
    expect(view.callback_id).toBe('forms.bulk');
    expect(view.blocks.filter((b: any) => b.type === 'input').map((b: any) => b.block_id)).toEqual(['branch', 'from', 'to']);
    const bad = await h.submit(slackViewSubmission(U.agent, 'forms.bulk', { branch: { option: 'xincheng' }, from: '2026-10-10', to: '2026-10-02' }, meta));
    expect(JSON.parse(bad.body)).toEqual({ response_action: 'errors', errors: { to: expect.stringContaining('日期范围不对') } });
    expect(await h.core.db.serviceForm.count({ where: { hqReturnedAt: { not: null } } })).toBe(1);
    const ok = await h.submit(slackViewSubmission(U.agent, 'forms.bulk', { branch: { option: 'xincheng' }, from: '2026-10-01', to: '2026-10-10' }, meta));
    expect(ok.body).toBe('');
    // Oct 1 was back already: Oct 2 to 10
    expect(toldTo(h, U.agent).at(-1)).toContain('已标记 9 张：新城供热分公司 2026-10-01 至 2026-10-10 的客户服务单交回总部');
    expect(await h.core.db.serviceForm.count({ where: { hqReturnedBy: 'staff:agent01' } })).toBe(10);
  });

  it('posts the half-monthly report with the true count, the oldest numbers and how many more (R8l)', async () => {
    await h.core.stores.outbox.owe(
      [
        {
          key: 'report:test-forms',
          platform: 'slack',
          target: 'C1XINCHER',
          kind: 'report',
          payload: { report: 'forms', date: '2026-12-16', branchId: 'xincheng', count: 120, numbers: ['T20261001-0001', 'T20261001-0002'], more: 118 },
        },
      ],
      h.core.clock.now(),
    );
    await h.drain();
    const posted = textOf(h.fake.channelMessages('C1XINCHER').at(-1));
    expect(posted).toContain('超过半个月未交回总部的客户服务单：120 张');
    expect(posted).toContain('T20261001-0001 T20261001-0002');
    expect(posted).toContain('…及其余 118 张，见 /forms');
  });
});

describe('/prices: the price list staff show before paid work (R11, R12)', () => {
  it("shows a branch's staff their branch's list by category, its own labour price, and the own-materials rule (R11, R12)", async () => {
    await h.slash(U.agent, '/prices', 'jinqiao');
    const m = lastTold(U.agent);
    const text = textOf(m);
    expect(m.blocks?.[0]).toMatchObject({ type: 'header', text: { text: '有偿服务价目表 · 金桥供热分公司' } });
    expect(text).toMatch(/\*设备\*\n• 钢制暖气片（600型，每片）：85 元\/片/);
    expect(text).toContain('• 人工费（每小时）：45 元/小时'); // jinqiao's own price replaces the company's 40
    expect(text).toContain('客户自备材料：只收基本人工费 *30 元*');
    expect(text).toContain('二级管网及楼内管道');
  });

  it("gives branch staff their own branch's list and the centre the company's (R11)", async () => {
    await h.slash(U.xinchengField, '/prices');
    expect(textOf(lastTold(U.xinchengField))).toContain('有偿服务价目表 · 新城供热分公司');
    await h.slash(U.agent, '/prices');
    const company = textOf(lastTold(U.agent));
    expect(company).toContain('有偿服务价目表 · 公司统一');
    expect(company).toContain('• 人工费（每小时）：40 元/小时');
    await h.slash(U.agent, '/prices', 'nowhere');
    expect(toldTo(h, U.agent).at(-1)).toMatch(/^没有分公司“nowhere”。可用的代码：xincheng/);
    await h.slash(U.stranger, '/prices');
    expect(toldTo(h, U.stranger).at(-1)).toContain('未登记为员工');
  });
});

describe('paid work on the card and at resolve (R11, R12, R14/R15)', () => {
  async function paidCard(paidMaterials: 'own' | 'company') {
    const t = await createTicket(h.core, hotlineComplaint({ kind: 'paid_service', category: 'other', description: '更换暖气阀门', paidMaterials }));
    await transitionTicket(h.core, { number: t.number, action: 'accept', actor: 'staff:xincheng-coord' });
    await transitionTicket(h.core, { number: t.number, action: 'arrive', actor: 'staff:xincheng-field1' });
    await h.drain();
    return { t, card: await cardOf(h, t.id) };
  }

  it('shows the materials choice on the card (R11)', async () => {
    const own = await paidCard('own');
    expect(textOf(own.card)).toContain('有偿服务 / 其他\n材料：客户自备材料（只收基本人工费 30 元）');
    const company = await paidCard('company');
    expect(textOf(company.card)).toContain('材料：公司材料（按价目表）');
    const complaint = await createTicket(h.core, hotlineComplaint());
    await h.drain();
    expect(textOf(await cardOf(h, complaint.id))).not.toContain('材料：');
  });

  it('requires the effect and the after-sales terms of paid work in the resolve modal (R14/R15)', async () => {
    const { t, card } = await paidCard('company');
    await clickOn(h, U.xinchengField, card, 'ticket.resolve');
    const { view, meta } = lastModal(h);
    expect(view.blocks.filter((b: any) => b.type === 'input').map((b: any) => [b.block_id, b.optional])).toEqual([
      ['result', false],
      ['work_done', false],
      ['effect', false],
      ['materials', true],
      ['fees', true],
      ['after_sales', false],
      ['signed', true],
    ]);
    const res = await h.submit(slackViewSubmission(U.xinchengField, 'ticket.resolve', { result: '已更换', work_done: '更换阀门' }, meta));
    expect(JSON.parse(res.body).errors).toEqual({ effect: '有偿服务请填写服务效果。', after_sales: '有偿服务请填写售后条款。' });
    expect((await h.core.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).status).toBe('on_site');
  });

  it('refuses an own-materials fee above the basic labour fee until confirmed with a reason, then keeps the reason (R12)', async () => {
    const { t, card } = await paidCard('own');
    await clickOn(h, U.xinchengField, card, 'ticket.resolve');
    const { view, meta } = lastModal(h);
    expect(textOf({ blocks: view.blocks })).toContain('客户自备材料*：只收基本人工费 30 元');
    expect(view.blocks.map((b: any) => b.block_id)).toEqual(expect.arrayContaining(['fee_confirm', 'fee_reason']));
    const values = { result: '已更换', work_done: '更换阀门（客户自备）', effect: '不漏水', after_sales: '人工保修三个月', fees: '45' };
    const viewId = 'VPAIDOWN';
    const first = await h.submit(slackViewSubmission(U.xinchengField, 'ticket.resolve', values, meta, { viewId }));
    expect(JSON.parse(first.body).errors).toEqual({
      fees: '客户自备材料只收基本人工费 30 元。确需多收，请勾选“确认超出基本人工费”并填写原因。',
    });
    const noReason = await h.submit(
      slackViewSubmission(U.xinchengField, 'ticket.resolve', { ...values, fee_confirm: { checked: ['over_cap'] } }, meta, { viewId }),
    );
    expect(JSON.parse(noReason.body).errors).toMatchObject({ fee_reason: '请填写超出基本人工费的原因。' });
    expect((await h.core.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).status).toBe('on_site');
    const ok = await h.submit(
      slackViewSubmission(U.xinchengField, 'ticket.resolve', { ...values, fee_confirm: { checked: ['over_cap'] }, fee_reason: '高处作业，两人施工' }, meta, {
        viewId,
      }),
    );
    expect(ok.body).toBe('');
    const stored = await h.core.db.ticket.findUniqueOrThrow({ where: { id: t.id }, include: { form: true } });
    expect(stored.form).toMatchObject({ feesCents: 4500, effect: '不漏水', afterSalesTerms: '人工保修三个月' });
    const event = await h.core.db.ticketEvent.findFirstOrThrow({ where: { ticketId: t.id, type: 'resolved' } });
    expect(JSON.parse(event.data!).labourFee).toEqual({ capCents: 3000, feesCents: 4500, reason: '高处作业，两人施工' });
  });
});
