/** 九, R12: a branch's own basic labour fee is the one its residents are told on the price list. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEMO_ORG } from '../../../src/config.js';
import { bindByPhone, startTelegramHarness, telegramUser, type Harness } from '../../helpers/telegram.js';

let h: Harness;
beforeAll(async () => {
  const doc = parse(readFileSync(DEMO_ORG, 'utf8'));
  doc.branches.find((b: { id: string }) => b.id === 'jinqiao').basicLabourFee = 25;
  h = await startTelegramHarness({ org: doc });
});
afterAll(() => h.close());

describe("a branch's own basic labour fee (九, R12)", () => {
  it('tells a 金桥 resident 25 yuan for own materials and a 新城 resident the company fee of 30', async () => {
    const jinqiao = telegramUser(7101);
    await bindByPhone(h, jinqiao, '1010269280');
    await h.say(jinqiao, '/prices');
    expect(h.lastText(jinqiao)).toContain('自备材料的，只收基本人工费 25 元。');
    const xincheng = telegramUser(7102);
    await bindByPhone(h, xincheng, '1010000000');
    await h.say(xincheng, '/prices');
    expect(h.lastText(xincheng)).toContain('自备材料的，只收基本人工费 30 元。');
  });
});
