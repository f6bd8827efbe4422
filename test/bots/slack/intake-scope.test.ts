/**
 * /intake's inputs to the assessment (R5, R27): the suggestion box as a source, entered with or
 * without a name and queued for HQ; the scope (primary network or secondary / in the flat) as
 * chosen, or read from the description when left empty, so that a burst main phoned in is
 * judged by the primary network's 24-hour repair, not a 1-hour visit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUGGESTION_ACTION } from '../../../src/bots/slack/render/suggestion-card.js';
import { cardOf, findElement, lastModal, makeSlackHarness, slackViewSubmission, textOf, toldTo, U, type SlackHarness } from '../../helpers/slack.js';
import { productionClassifier } from '../../helpers/telegram.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await makeSlackHarness({ classifier: productionClassifier() });
});
afterAll(() => h?.close());

async function intake(user: string, values: Record<string, unknown>) {
  await h.slash(user, '/intake', '', 'C0CENTRE01');
  const { meta } = lastModal(h);
  await h.submit(slackViewSubmission(user, 'ticket.intake', values as never, meta));
  return h.core.db.ticket.findFirstOrThrow({ where: { firstResponder: `staff:${h.core.org.staffBySlackUser(user)!.id}` }, orderBy: { id: 'desc' } });
}

describe('/intake scope (R27)', () => {
  it('offers the scope as an optional choice', async () => {
    await h.slash(U.agent, '/intake', '', 'C0CENTRE01');
    const scope = lastModal(h).view.blocks.find((b: any) => b.block_id === 'scope');
    expect(scope.optional).toBe(true);
    expect(scope.element.options.map((o: any) => o.value)).toEqual(['primary', 'secondary']);
    expect(scope.element.options.map((o: any) => o.text.text)).toEqual(['一次网 / 责任范围内（主管、整栋、整个小区）', '二次网 / 户内（一户或一个单元）']);
  });

  it('a burst main phoned in without a scope is read as primary network from the description, and the agent is told so (R27)', async () => {
    const t = await intake(U.agent, {
      kind: { option: 'complaint' },
      category: { option: 'leak' },
      source: { option: 'hotline' },
      community: { option: 'c019' },
      description: '来电：小区主管道爆了，整栋楼都没暖气',
    });
    expect(t).toMatchObject({ scope: 'primary', source: 'hotline', branchId: 'yuquan' });
    expect(toldTo(h, U.agent).at(-1)).toBe(
      `已登记工单 ${t.number}，已派至 玉泉供热分公司。您是首位负责人。\n范围（按描述判断）：一次网 / 责任范围内（主管、整栋、整个小区）`,
    );
  });

  it("the agent's choice wins over the description (R27)", async () => {
    const t = await intake(U.agent2, {
      kind: { option: 'complaint' },
      category: { option: 'no_heat' },
      source: { option: 'letter' },
      scope: { option: 'secondary' },
      community: { option: 'c019' },
      description: '来信：整栋楼就我家不热',
    });
    expect(t.scope).toBe('secondary');
    expect(toldTo(h, U.agent2).at(-1)).toContain('范围：二次网 / 户内（一户或一个单元）');
  });

  it('a one-flat problem left without a scope is secondary (R27)', async () => {
    const t = await intake(U.agent, {
      kind: { option: 'complaint' },
      category: { option: 'no_heat' },
      source: { option: 'hotline' },
      community: { option: 'c019' },
      description: '来电：卧室暖气片不热，室温15度',
    });
    expect(t.scope).toBe('secondary');
  });
});

describe('/intake from the suggestion box (R5)', () => {
  it('an anonymous entry from a community suggestion box is a suggestion for HQ, with nobody to answer (R5, R18)', async () => {
    const t = await intake(U.agent2, {
      kind: { option: 'suggestion' },
      category: { option: 'other' },
      source: { option: 'suggestion_box' },
      community: { option: 'c019' },
      description: '意见箱：建议在单元门口贴停暖通知',
    });
    expect(t).toMatchObject({
      kind: 'suggestion',
      source: 'suggestion_box',
      firstResponder: 'staff:agent02',
      customerId: null,
      residentId: null,
      contactName: null,
      branchId: null,
      status: 'received',
      communityId: 'c019',
    });
    expect(toldTo(h, U.agent2).at(-1)).toContain(`已登记工单 ${t.number}，已进入总部意见建议队列。`);
    await h.drain();
    const card = await cardOf(h, t.id, 'suggestion');
    expect(card.channel).toBe('C0SUGGST01');
    expect(textOf(card)).toContain('意见箱');
    expect(textOf(card)).toContain('没有可联系的居民（如意见箱）：答复只记录在案。');
    expect(findElement(card.blocks, SUGGESTION_ACTION.answer)).toBeDefined();
  });
});
