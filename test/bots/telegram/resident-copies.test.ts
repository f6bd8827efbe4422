/**
 * What the resident reads in Telegram of issue 17's additions: /help names /handbook (R20), and
 * the resident's copy of the service form states the effect and the after-sales terms they sign
 * (R14/R15), and the FAQ on paid repairs quotes the basic labour fee of the resident's branch (R12).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEMO_ORG } from '../../../src/config.js';
import { MINUTE } from '../../../src/core/clock.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { bindByPhone, startTelegramHarness, telegramUser, type Harness } from '../../helpers/telegram.js';

let h: Harness;
const numberIn = (text: string) => /[TSQP]\d{8}-\d{4}/.exec(text)?.[0] ?? '';
const actor = 'staff:xincheng-field1';

beforeAll(async () => {
  h = await startTelegramHarness();
  h.core.clock.set('2026-11-28T06:00:00Z');
});
afterAll(() => h.close());

describe('/help (R20)', () => {
  it('names /handbook beside /prices, in Chinese and in English (R20)', async () => {
    const u = telegramUser(7301);
    await h.say(u, '/help');
    expect(h.lastText(u)).toContain('💰 有偿服务价格：/prices\n📘 客户手册、服务承诺和规定：/handbook\n');
    const en = telegramUser(7302, { languageCode: 'en' });
    await h.say(en, '/help');
    expect(h.lastText(en)).toContain('📘 Customer handbook, our commitments and the rules: /handbook');
  });
});

describe("the resident's copy of the service form (R14/R15)", () => {
  it('states the effect and the after-sales terms the resident confirms (R14/R15)', async () => {
    const u = telegramUser(7303);
    await bindByPhone(h, u);
    await h.say(u, '暖气不热，室温16度');
    await h.tap(u, '提交');
    const number = numberIn(h.lastText(u));
    await transitionTicket(h.core, { number, action: 'accept', actor });
    h.core.clock.advance(20 * MINUTE);
    await transitionTicket(h.core, { number, action: 'arrive', actor });
    h.core.clock.advance(30 * MINUTE);
    await transitionTicket(h.core, {
      number,
      action: 'resolve',
      actor,
      note: '阀门已更换',
      form: {
        workDone: '更换暖气片阀门',
        materials: '阀门 1 个',
        feesCents: 8000,
        effect: '不再漏水',
        afterSalesTerms: '阀门保修一年，期间非人为损坏免费更换',
      },
    });
    await h.drain();
    expect(h.lastText(u)).toContain('效果：不再漏水\n售后条款：阀门保修一年，期间非人为损坏免费更换\n如无异议，请点“确认服务内容”');
  });

  it('says nothing of terms when none were written', async () => {
    const u = telegramUser(7304);
    await bindByPhone(h, u);
    await h.say(u, '暖气不热，室温15度');
    await h.tap(u, '提交');
    const number = numberIn(h.lastText(u));
    await transitionTicket(h.core, { number, action: 'accept', actor });
    await transitionTicket(h.core, { number, action: 'arrive', actor });
    await transitionTicket(h.core, { number, action: 'resolve', actor, note: '已排气', form: { workDone: '排气', feesCents: 0, afterSalesTerms: '无' } });
    await h.drain();
    expect(h.lastText(u)).toContain('服务内容：排气');
    expect(h.lastText(u)).not.toContain('售后条款');
  });
});

describe('the FAQ on paid repairs (R12)', () => {
  let b: Harness;
  beforeAll(async () => {
    const doc = parse(readFileSync(DEMO_ORG, 'utf8'));
    doc.branches.find((x: { id: string }) => x.id === 'jinqiao').basicLabourFee = 25;
    b = await startTelegramHarness({ org: doc });
  });
  afterAll(() => b.close());

  it("quotes the basic labour fee of the resident's branch, the company's to a resident the bot cannot place (R12)", async () => {
    const jinqiao = telegramUser(7311);
    await bindByPhone(b, jinqiao, '1010269280');
    await b.say(jinqiao, '/ask');
    await b.tap(jinqiao, '🔧 有偿维修服务');
    expect(b.lastText(jinqiao)).toContain('自备材料的只收基本人工费 25 元');
    const stranger = telegramUser(7312);
    await b.say(stranger, '/ask');
    await b.tap(stranger, '🔧 有偿维修服务');
    expect(b.lastText(stranger)).toContain('自备材料的只收基本人工费 30 元');
  });
});
