/** The pure pieces behind the bot's understanding: faults, FAQ routing, prices, several problems. */
import { describe, expect, it } from 'vitest';
import { asksPrice, matchPriceItems } from '../../../src/core/classify/match-price-items.js';
import { problemParts } from '../../../src/core/classify/problem-parts.js';
import { FAQ_SCORE_THRESHOLD, scoreFaq, takesFaq } from '../../../src/core/classify/score-faq.js';
import { splitProblems } from '../../../src/core/classify/split-problems.js';
import { statesFault } from '../../../src/core/classify/states-fault.js';
import { residentWrites } from './classifier-fixture.js';

describe('a stated fault', () => {
  it.each(['暖气不热 什么时候能修好', '卧室暖气片拔凉拔凉的', 'my radiator is cold', 'the pipes are very noisy', '阀门那儿一直往下滴水'])(
    '"%s" states a fault',
    (text) => expect(statesFault(text)).toBe(true),
  );
  it.each(['今年啥时候来暖气', '天冷了什么时候供暖', '暖气不热的话一般多久能来人', '不是不热，是太烫了', 'how do I pay the heating fee'])(
    '"%s" does not',
    (text) => expect(statesFault(text)).toBe(false),
  );
});

describe('FAQ scoring and routing', () => {
  const entries = [
    { id: 'season', phrases: ['供暖', '来暖气', '几号开始供暖'] },
    { id: 'suspend', phrases: ['报停', '申请停暖'] },
  ];
  it('scores by how much of the question the phrases cover, politeness not counted', () => {
    expect(scoreFaq('请问几号开始供暖呀？', entries)).toEqual({ id: 'season', score: 1 });
    expect(scoreFaq('报停', entries)).toEqual({ id: 'suspend', score: 1 });
    expect(scoreFaq('供暖公司的维修工上门时能不能把鞋套穿上', entries)!.score).toBeLessThan(FAQ_SCORE_THRESHOLD);
    expect(scoreFaq('楼道灯不亮', entries)).toBeNull();
  });

  it('never lets the FAQ take a stated fault, nor a sure complaint that is more than the topic', () => {
    expect(takesFaq({ faqScore: 1, faultStated: true, kind: 'consultation', kindConfidence: 0.9 })).toBe(false);
    expect(takesFaq({ faqScore: 0.5, faultStated: false, kind: 'complaint', kindConfidence: 0.95 })).toBe(false);
    expect(takesFaq({ faqScore: 1, faultStated: false, kind: 'complaint', kindConfidence: 0.95 })).toBe(true);
    expect(takesFaq({ faqScore: 0.5, faultStated: false, kind: 'complaint', kindConfidence: 0.6 })).toBe(true);
    expect(takesFaq({ faqScore: 0.2, faultStated: false, kind: 'consultation', kindConfidence: 0.99 })).toBe(false);
  });
});

describe('price questions', () => {
  const list = [
    { id: 'steel', name: '钢制暖气片（600型，每片）', nameEn: 'Steel radiator 600' },
    { id: 'ball', name: '铜球阀 DN20', nameEn: 'Brass ball valve DN20' },
    { id: 'vent', name: '自动排气阀', nameEn: 'Automatic air vent' },
    { id: 'hour', name: '人工费（每小时）', nameEn: 'Labour per hour' },
    { id: 'fit', name: '更换暖气片人工（每组）', nameEn: 'Radiator replacement labour' },
    { id: 'flush', name: '暖气片清洗（每组）', nameEn: 'Radiator flushing' },
  ];
  it('are told from other messages', () => {
    expect(asksPrice('换个暖气片得花多少钱')).toBe(true);
    expect(asksPrice('what would a new valve cost')).toBe(true);
    expect(asksPrice('暖气片不热')).toBe(false);
  });
  it('match the lines that name the same thing; flushing only when asked for', () => {
    expect(matchPriceItems('换个暖气片得花多少钱', list)).toEqual(['steel', 'fit']);
    expect(matchPriceItems('换阀门啥价', list)).toEqual(['ball', 'vent']);
    expect(matchPriceItems('洗一下暖气片多少钱', list)).toEqual(['flush']);
    expect(matchPriceItems('what would a new valve cost', list)).toEqual(['ball', 'vent']);
    expect(matchPriceItems('暖气费一平米多少钱', list)).toEqual([]);
  });
});

describe('several problems in one message', () => {
  it('splits at sentence ends and at the words that add a matter, not at every comma', () => {
    expect(splitProblems('客厅漏水了，还有上个月热费算错了')).toEqual(['客厅漏水了', '上个月热费算错了']);
    expect(splitProblems('暖气不热，家里冷得够呛')).toEqual(['暖气不热，家里冷得够呛']);
    expect(splitProblems('The radiator is cold. And also the valve drips')).toEqual(['The radiator is cold', 'the valve drips']);
    expect(splitProblems('你好。暖气不热')).toEqual(['你好，暖气不热']);
  });

  const problems = (text: string) => problemParts(splitProblems(text).map((part) => ({ part, ...residentWrites(part) }))).map((p) => [p.index, p.category]);

  it('offers two problems only when they differ and the classifier is sure of each', () => {
    expect(problems('阳台暖气管漏水了，另外今年的热费收多了')).toEqual([
      [0, 'leak'],
      [1, 'billing'],
    ]);
    expect(problems('暖气片一点都不热乎。屋里只有十四度')).toEqual([]);
    expect(problems('暖气片冰凉。谢谢你们')).toEqual([]);
  });
});
