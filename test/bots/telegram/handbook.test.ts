/**
 * Publicity in the bot (R20, R22): /handbook shows the customer handbook, the service
 * commitments and the regulations that apply, from files an operator edits (HANDBOOK_DIR), each
 * section ending with the service card (hotline and services); every message that finishes a
 * ticket for the resident carries the same card.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramBot } from '../../../src/bots/telegram/bot.js';
import { handbookSection, loadHandbook } from '../../../src/bots/telegram/handbook.js';
import { COMMANDS } from '../../../src/bots/telegram/setup.js';
import { MINUTE } from '../../../src/core/clock.js';
import { fireDueAlerts } from '../../../src/core/deadlines/fire-due-alerts.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { t } from '../../../src/i18n/index.js';
import { bindByPhone, buttonsOf, startTelegramHarness, telegramCallback, telegramUser, TG_TOKEN, type Harness } from '../../helpers/telegram.js';

let h: Harness;
const CARD = '客服热线 0471-96556（24小时）：报修、投诉、咨询、有偿服务、回访。客户手册和服务承诺：/handbook';

beforeAll(async () => {
  h = await startTelegramHarness();
});
afterAll(() => h.close());

describe('/handbook (R20, R22)', () => {
  it('offers the handbook, the service commitments and the regulations as three buttons, and is in the command menu (R20)', async () => {
    const u = telegramUser(8701);
    await h.say(u, '/handbook');
    expect(h.lastText(u)).toBe('请选择要查看的内容：');
    expect(buttonsOf(h.last(u)).map((b) => b.text)).toEqual(['📘 客户手册', '🤝 服务承诺', '📜 相关规定']);
    expect(COMMANDS).toContain('handbook');
    expect(t('zh-CN', 'telegram.handbook.command')).toBe('客户手册、服务承诺和相关规定');
  });

  it('the commitments state the time limits, the callback and paid work, with the hotline from the organisation file (R20, R22)', async () => {
    const u = telegramUser(8702);
    await h.say(u, '/handbook');
    await h.tap(u, '服务承诺');
    const text = h.lastText(u);
    expect(text.startsWith('服务承诺\n')).toBe(true);
    for (const words of ['客服热线 0471-96556，24小时受理', '24小时内修复', '1小时内到达现场', '回访', '自备材料只收基本人工费', '佩戴胸卡'])
      expect(text).toContain(words);
    expect(text).not.toContain('{hotline}');
    expect(text.endsWith(CARD)).toBe(true);
  });

  it('the handbook and the regulations are there too, and an English resident reads English (R20)', async () => {
    const u = telegramUser(8703);
    await h.say(u, '/handbook');
    await h.tap(u, '客户手册');
    expect(h.lastText(u)).toContain('供暖期间居室温度不低于18℃');
    await h.tap(u, '相关规定');
    expect(h.lastText(u)).toContain('首位负责制');

    const en = telegramUser(8704, { languageCode: 'en' });
    await h.say(en, '/handbook');
    await h.tap(en, 'Our service commitments');
    expect(h.lastText(en)).toContain('repaired within 24 hours');
    expect(h.lastText(en)).toContain('Customer hotline 0471-96556');
  });

  it("an operator's folder (HANDBOOK_DIR) is read at start: headings plain, placeholders filled, English falling back to Chinese, a long section split (R20)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'handbook-'));
    mkdirSync(join(dir, 'zh-CN'));
    mkdirSync(join(dir, 'en'));
    const long = Array.from({ length: 300 }, (_, i) => `第${i + 1}条：供暖期间请保持暖气片周围通风，有问题拨打 {hotline}。`).join('\n');
    writeFileSync(join(dir, 'zh-CN', 'handbook.md'), `# 本公司手册\n\n**热线**：{hotline}\n抢修：{emergencyHotline}\n${long}`);
    writeFileSync(join(dir, 'zh-CN', 'commitments.md'), '# 承诺\n一次网故障24小时内修复。');
    const book = loadHandbook(h.core.org, dir);
    expect(book['zh-CN'].handbook?.startsWith('本公司手册\n\n热线：0471-96556\n抢修：')).toBe(true);
    expect(book.en.commitments).toBe('承诺\n一次网故障24小时内修复。');
    expect(handbookSection(book, h.core.org, 'zh-CN', 'regulations')).toBe('这部分内容暂未提供，请拨打客服热线 0471-96556。');

    const bot = createTelegramBot({ core: h.core, token: TG_TOKEN, apiRoot: h.fake.apiRoot, retry: false, handbookDir: dir });
    await bot.init();
    const u = telegramUser(8705);
    await h.say(u, '/handbook');
    const menu = h.last(u);
    const before = h.botTexts(u).length;
    const data = (menu.reply_markup?.inline_keyboard ?? []).flat().find((b: { text: string }) => b.text.includes('客户手册'))!.callback_data;
    await bot.handleUpdate(telegramCallback(u, data, h.fake.message(u.id, menu.message_id)!));
    const parts = h.botTexts(u).slice(before);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4096);
    expect(parts.join('\n')).toContain('第300条');
    expect(parts.at(-1)!.endsWith(CARD)).toBe(true);
  });
});

describe('the service card in closing messages (R22)', () => {
  it('the result of a repair and the rating thanks that close it carry the hotline and services', async () => {
    const u = telegramUser(8706);
    await bindByPhone(h, u, '1010000000');
    await h.say(u, '暖气片有异响，咚咚响');
    if (buttonsOf(h.last(u)).some((b) => b.text.includes('提交'))) await h.tap(u, '提交');
    const ticket = await h.core.db.ticket.findFirstOrThrow({ where: { residentId: { not: null } }, orderBy: { id: 'desc' } });
    const number = ticket.number;
    await transitionTicket(h.core, { number, action: 'accept', actor: 'staff:xincheng-field1' });
    h.core.clock.advance(10 * MINUTE);
    await transitionTicket(h.core, { number, action: 'arrive', actor: 'staff:xincheng-field1' });
    await transitionTicket(h.core, { number, action: 'resolve', actor: 'staff:xincheng-field1', note: '系统排气后异响消失' });
    await h.drain();
    const resolved = h.botTexts(u).find((x) => x.includes(`${number}：已处理完毕`))!;
    expect(resolved.endsWith(CARD)).toBe(true);

    // the warm check, then the rating: its thanks closes the ticket and carries the card too
    h.core.clock.advance(180 * MINUTE);
    await fireDueAlerts(h.core, 'handbook');
    await h.drain();
    await h.tap(u, '热了');
    const question = h.last(u);
    await h.tap(u, '😊 满意');
    const edited = h.fake.message(u.id, question.message_id)!;
    expect(edited.text).toContain(`您的评价：😊 满意。谢谢！工单 ${number} 已办结。\n${CARD}`);
  });
});
