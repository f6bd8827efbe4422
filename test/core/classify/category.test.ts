import { describe, expect, it } from 'vitest';
import { residentWrites } from './classifier-fixture.js';

describe('category of a resident message', () => {
  describe('no_heat', () => {
    it.each([
      ['a plain cold radiator', '家里暖气一点都不热，屋里冷得很'],
      ['English', 'My radiators have been cold for three days.'],
      ['dialect', '俺家暖气不咋热乎，冻得够呛'],
      ['the 暖器 typo', '暖器温度太低了，冻手'],
      ['paid but still cold (the fault is the heat, not the bill)', '热费早就交了，暖气还是凉的'],
      ['English, paid but still cold', 'I paid in December and the radiators are still cold.'],
      ['mixed languages', '我家 radiator 一直不热'],
    ])('%s is no_heat', (_, text) => {
      expect(residentWrites(text).category).toBe('no_heat');
    });

    it('a negated leak word does not make a cold home a leak', () => {
      const result = residentWrites('不是漏水，是暖气片一直不热');
      expect(result.category).toBe('no_heat');
      expect(result.severity).toBe('normal');
      expect(result.reasons).toContain('leak_word_negated');
      expect(result.reasons).not.toContain('leak_word');
    });

    it('an English negated leak is no_heat too', () => {
      const result = residentWrites("There's no leak, the flat is just freezing.");
      expect(result.category).toBe('no_heat');
      expect(result.reasons).toContain('leak_word_negated');
    });
  });

  describe('leak', () => {
    it.each([
      ['water running down the wall', '楼上跑水了，水顺着墙一直往下淌'],
      ['English burst pipe', 'A pipe burst in the bathroom and water is everywhere.'],
      ['the 漏谁 typo', '卧室暖气漏谁，地上都湿了'],
      ['dialect', '俺家暖气跑水了，这咋整啊'],
      ['mixed languages', '厨房 pipe 漏水了'],
    ])('%s is a leak', (_, text) => {
      const result = residentWrites(text);
      expect(result.category).toBe('leak');
      expect(result.reasons).toContain('leak_word');
      expect(result.needsChoice).toBe(false);
    });

    it('a leak word wins over a cold complaint in the same message', () => {
      const result = residentWrites('暖气不热，而且阀门还在滴水');
      expect(result.category).toBe('leak');
      expect(result.confidence.category).toBeGreaterThanOrEqual(0.95);
    });
  });

  describe('words that look like leaks but are not', () => {
    it.each([
      ['a jammed hotline (打爆了)', '热线电话都打爆了也没人接', 'staff_conduct'],
      ['a missed payment (漏交)', '上个月漏交了热费，现在补交可以吗', 'billing'],
      ['the sound of flowing water (流水声)', '暖气里一直有流水声，晚上听得清清楚楚', 'noise_pressure'],
    ])('%s is not a leak', (_, text, category) => {
      const result = residentWrites(text);
      expect(result.category).toBe(category);
      expect(result.reasons).not.toContain('leak_word');
    });
  });

  describe('billing', () => {
    it.each([
      ['a wrong area on the bill', '热费单上的面积跟房本对不上，多收了钱'],
      ['an English double charge', 'I paid the heating fee twice through the app, please refund one.'],
      ['a refund demanded because it was cold (the demand is money)', '暖气一直不热，要求退还部分热费'],
      ['the 发漂 typo for 发票', '热费发漂怎么开'],
    ])('%s is billing', (_, text) => {
      expect(residentWrites(text).category).toBe('billing');
    });
  });

  describe('staff_conduct', () => {
    it.each([
      ['a rude cashier (收费 words do not make it billing)', '收费处那个人态度太差，冲我大吼'],
      ['English rudeness and a bribe', 'The repairman was rude and asked me for money.'],
      ['a red envelope demanded', '来修暖气的师傅骂骂咧咧，还要红包'],
      ['a no-show', '约了师傅上门，等了一天也没来'],
    ])('%s is staff_conduct', (_, text) => {
      expect(residentWrites(text).category).toBe('staff_conduct');
    });
  });

  describe('noise_pressure', () => {
    it.each([
      ['knocking pipes at night', '暖气管子一到晚上就咚咚响'],
      ['English banging', 'The heating pipes make a loud banging noise.'],
      ['warm but humming', '暖气挺热的，就是一直嗡嗡响'],
      ['a falling pressure gauge', '暖气压力表一直往下掉'],
    ])('%s is noise_pressure', (_, text) => {
      expect(residentWrites(text).category).toBe('noise_pressure');
    });
  });

  describe('other', () => {
    it.each([
      ['an unfilled trench', '你们在小区门口挖的坑一直没填上'],
      ['English office hours', 'What are the opening hours of your service hall?'],
      ['moving a radiator with no fault stated', '想把卫生间的暖气片换个位置，你们能上门吗'],
    ])('%s is other', (_, text) => {
      expect(residentWrites(text).category).toBe('other');
    });
  });

  it('reports a confidence between 0 and 1 for both labels', () => {
    const { confidence } = residentWrites('暖气片冰凉冰凉的');
    for (const value of [confidence.category, confidence.kind]) {
      expect(value).toBeGreaterThan(0);
      expect(value).toBeLessThanOrEqual(1);
    }
  });
});
