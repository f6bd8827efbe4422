/**
 * Small talk is answered as small talk, not proposed as a ticket ("你好" was a consultation with
 * a Submit button, "谢谢师傅" a suggestion); and the menu keyboard goes with the first thing the
 * bot says to anyone, also to a resident who never sent /start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, startTelegramHarness, telegramUser, type Harness } from '../../helpers/telegram.js';

let h: Harness;
let nextUser = 6500;
const newUser = (languageCode?: string) => telegramUser(++nextUser, languageCode ? { languageCode } : {});
const menuLabels = (m: { reply_markup?: { keyboard?: { text: string }[][] } }) => (m.reply_markup?.keyboard ?? []).flat().map((b) => b.text);

beforeAll(async () => {
  h = await startTelegramHarness();
});
afterAll(() => h.close());

describe('small talk', () => {
  it('"你好" gets a greeting and the menu, and no ticket or proposal', async () => {
    const u = newUser();
    const before = await h.core.db.ticket.count();
    await h.say(u, '你好');
    const m = h.last(u);
    expect(m.text).toBe('您好！我是青城示例热力有限责任公司的客服小助手。暖气不热、漏水、缴费这些事，直接打字告诉我就行，也可以点下方菜单。');
    expect(menuLabels(m)).toEqual(expect.arrayContaining(['🔧 报修', '📋 我的工单']));
    expect(buttonsOf(m)).toEqual([]);
    expect(await h.core.db.ticket.count()).toBe(before);
  });

  it('"谢谢师傅" gets a short thanks back, not a suggestion', async () => {
    const u = newUser();
    await h.say(u, '谢谢师傅');
    expect(h.lastText(u)).toBe('不客气，应该的！有事随时找我。');
    expect(buttonsOf(h.last(u))).toEqual([]);
  });

  it('a word that says nothing gets help and the menu', async () => {
    const u = newUser();
    await h.say(u, '嗯');
    expect(h.lastText(u)).toBe('没太明白您的意思。有问题请直接写一句话，比如“暖气不热，室温15度”，或点下方菜单。\n客服热线：0471-96556');
    expect(menuLabels(h.last(u)).length).toBeGreaterThan(0);
  });

  it('a greeting with a problem in it is a report: "你好，暖气不热" is proposed', async () => {
    const u = newUser();
    await h.say(u, '你好，家里暖气不热，只有16度');
    expect(h.lastText(u)).toContain('我理解您要反映的是：投诉/报修 · 暖气不热');
  });

  it('"谢谢，但是还是漏水" is not thanks: the leak is filed at once (R8j)', async () => {
    const u = newUser();
    await h.say(u, '谢谢，但是还是漏水');
    expect(h.botTexts(u).join('\n')).not.toContain('不客气');
    expect(h.botTexts(u).join('\n')).toMatch(/跑水|漏水|抢修/);
  });

  it('speaks English to an English phone: "hello" and "thanks"', async () => {
    const u = newUser('en');
    await h.say(u, 'hello');
    expect(h.lastText(u)).toBe(
      'Hello, this is Qingcheng Demo Heating Co., Ltd. customer service. Tell me about no heat, a leak or your bill in a sentence, or use the menu below.',
    );
    await h.say(u, 'thanks!');
    expect(h.lastText(u)).toBe('You are welcome! Write any time.');
  });
});

describe('the menu keyboard the first time the bot speaks', () => {
  it('goes with the first message to a resident who never sent /start, once', async () => {
    const u = newUser();
    await h.say(u, '谢谢');
    expect(menuLabels(h.last(u))).toEqual(expect.arrayContaining(['🔧 报修', '📋 我的工单', '📱 用手机号绑定']));
    const resident = await h.core.db.resident.findUniqueOrThrow({ where: { telegramUserId: String(u.id) } });
    expect(resident.menuShownAt).not.toBeNull();
    await h.say(u, '谢谢');
    expect(h.last(u).reply_markup).toBeUndefined();
  });

  it('waits for a message without buttons of its own: a proposal keeps its inline buttons', async () => {
    const u = newUser();
    await h.say(u, '家里暖气不热，只有16度');
    expect(buttonsOf(h.last(u)).length).toBeGreaterThan(0);
    expect((await h.core.db.resident.findUniqueOrThrow({ where: { telegramUserId: String(u.id) } })).menuShownAt).toBeNull();
  });
});
