import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { cardOf, clickOn, elementsOf, lastModal, makeSlackHarness, slackViewSubmission, textOf, toldTo, U, type SlackHarness } from '../../helpers/slack.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await makeSlackHarness();
});
afterAll(() => h?.close());

async function accepted(over: Parameters<typeof hotlineComplaint>[0] = {}, arrive = false) {
  const t = await createTicket(h.core, hotlineComplaint(over));
  await transitionTicket(h.core, { number: t.number, action: 'accept', actor: 'staff:xincheng-coord' });
  if (arrive) await transitionTicket(h.core, { number: t.number, action: 'arrive', actor: 'staff:xincheng-field1' });
  await h.drain();
  return { t, card: await cardOf(h, t.id) };
}

describe('the resolve modal (R8f, R8g)', () => {
  it('asks for the result, the work done, its effect, materials, fees and the signed service form (R8f)', async () => {
    const { card } = await accepted();
    await clickOn(h, U.xinchengField, card, 'ticket.resolve');
    const { view } = lastModal(h);
    expect(view.callback_id).toBe('ticket.resolve');
    expect(view.blocks.filter((b: any) => b.type === 'input').map((b: any) => [b.block_id, b.optional])).toEqual([
      ['result', false],
      ['work_done', true],
      ['effect', true],
      ['materials', true],
      ['fees', true],
      ['signed', true],
    ]);
  });

  it('returns errors into the modal and stores nothing when the result is missing or the fee is not an amount', async () => {
    const { t, card } = await accepted();
    await clickOn(h, U.xinchengField, card, 'ticket.resolve');
    const { meta } = lastModal(h);
    const res = await h.submit(
      slackViewSubmission(U.xinchengField, 'ticket.resolve', { result: '   ', work_done: '换阀门', materials: '铜球阀', fees: '45元', signed: null }, meta),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ response_action: 'errors', errors: { result: '请填写办理结果。', fees: expect.stringContaining('金额格式不对') } });
    expect((await h.core.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).status).toBe('accepted');
  });

  it('wants the work done on the service form after a visit', async () => {
    const { t, card } = await accepted({}, true);
    await clickOn(h, U.xinchengField, card, 'ticket.resolve');
    const { meta } = lastModal(h);
    const res = await h.submit(slackViewSubmission(U.xinchengField, 'ticket.resolve', { result: '已修好', work_done: null, fees: null }, meta));
    expect(res.json().errors).toEqual({ work_done: '已上门服务，请填写服务内容（客户服务单）。' });
    expect(await h.core.db.serviceForm.count({ where: { ticketId: t.id } })).toBe(0);
  });

  it('stores the corrected form with the fee in cents once the errors are fixed', async () => {
    const { t, card } = await accepted({ kind: 'paid_service', category: 'other', description: '更换暖气片' }, true);
    await clickOn(h, U.xinchengField, card, 'ticket.resolve');
    const { meta } = lastModal(h);
    const viewId = 'VRESOLVE1';
    await h.submit(slackViewSubmission(U.xinchengField, 'ticket.resolve', { result: '已更换', work_done: '更换暖气片2组', fees: '1,2x' }, meta, { viewId }));
    const ok = await h.submit(
      slackViewSubmission(
        U.xinchengField,
        'ticket.resolve',
        {
          result: '已更换',
          work_done: '更换暖气片2组',
          effect: '不漏水，室温20度',
          materials: '钢制暖气片600型 20片',
          fees: '1860.5',
          after_sales: '暖气片保修一年',
          signed: { checked: ['signed'] },
        },
        meta,
        { viewId },
      ),
    );
    expect(ok.body).toBe('');
    const stored = await h.core.db.ticket.findUniqueOrThrow({ where: { id: t.id }, include: { form: true } });
    expect(stored.status).toBe('callback');
    expect(stored.form).toMatchObject({
      workDone: '更换暖气片2组',
      effect: '不漏水，室温20度',
      materials: '钢制暖气片600型 20片',
      feesCents: 186050,
      afterSalesTerms: '暖气片保修一年',
      signed: true,
    });
  });

  it('tells the person, and does nothing, when the ticket moved on while the modal was open', async () => {
    const { t, card } = await accepted();
    await clickOn(h, U.xinchengField, card, 'ticket.resolve');
    const { meta } = lastModal(h);
    await transitionTicket(h.core, { number: t.number, action: 'arrive', actor: 'staff:xincheng-field2' }); // a colleague, meanwhile
    await h.submit(slackViewSubmission(U.xinchengField, 'ticket.resolve', { result: '已修好', work_done: '排气' }, meta));
    expect(toldTo(h, U.xinchengField).at(-1)).toMatch(/卡片已过时[\s\S]*当前状态：已到场。最近一步：.*徐刚 到场/);
    expect(await h.core.db.ticketEvent.count({ where: { ticketId: t.id, type: 'resolved' } })).toBe(0);
  });
});

describe('the transfer modal', () => {
  it('moves the ticket to another branch with the reason, keeps the first responder (R1), and the new branch gets its own card', async () => {
    const { t, card } = await accepted();
    h.core.clock.advance(5 * MINUTE);
    await clickOn(h, U.xinchengCoord, card, 'ticket.transfer');
    const { view, meta } = lastModal(h);
    expect(view.blocks.filter((b: any) => b.type === 'input').map((b: any) => b.block_id)).toEqual(['branch', 'unit', 'reason']);
    const bad = await h.submit(
      slackViewSubmission(U.xinchengCoord, 'ticket.transfer', { branch: { option: 'huimin' }, unit: { option: 'yuquan-field' }, reason: '' }, meta),
    );
    expect(Object.keys(bad.json().errors).sort()).toEqual(['reason', 'unit']);
    const same = await h.submit(slackViewSubmission(U.xinchengCoord, 'ticket.transfer', { branch: { option: 'xincheng' }, unit: null, reason: '试试' }, meta));
    expect(same.json().errors).toEqual({ branch: expect.stringContaining('工单已在这里') });

    await h.submit(
      slackViewSubmission(U.xinchengCoord, 'ticket.transfer', { branch: { option: 'huimin' }, unit: null, reason: '该楼栋由回民分公司供热' }, meta),
    );
    await h.drain();

    const stored = await h.core.db.ticket.findUniqueOrThrow({ where: { id: t.id } });
    expect(stored).toMatchObject({ branchId: 'huimin', unitId: 'huimin-field', firstResponder: 'staff:agent01', status: 'dispatched', transferCount: 1 });
    const moved = await cardOf(h, t.id);
    expect(moved.channel).toBe('C1HUIMIND');
    expect(textOf(moved)).toContain('李磊 · 客户服务中心');
    expect(elementsOf(moved.blocks).map((e) => e.action_id)).toContain('ticket.accept');
    const old = h.fake.message(card.channel, card.ts)!;
    expect(textOf(old)).toContain('本工单已转派至 回民供热分公司');
    expect(elementsOf(old.blocks)).toEqual([]);
    expect(h.fake.thread(card.channel, card.ts).at(-1)?.text).toBe('2026-11-28 14:05 · 周静 转派至 回民供热分公司 运营所服务队，原因：该楼栋由回民分公司供热');
  });
});
