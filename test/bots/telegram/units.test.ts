/** The small rules under the bot: Telegram's limits, questions read back, the fallback classifier, words in locales. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cb, checkCallbackData, MAX_CALLBACK_DATA_BYTES } from '../../../src/bots/telegram/callback-data.js';
import { FAQ_IDS, faqKey, matchFaq } from '../../../src/bots/telegram/faq.js';
import { PROMPTS, promptTextKey, readPrompt } from '../../../src/bots/telegram/prompts.js';
import { splitText } from '../../../src/bots/telegram/split-text.js';
import { createKeywordClassifier } from '../../../src/core/classify-fallback/keyword-classifier.js';
import { CATEGORIES, SATISFACTION, TICKET_KINDS } from '../../../src/core/domain.js';
import { demoOrg } from '../../helpers/core.js';
import { has, LOCALES, t } from '../../../src/i18n/index.js';

describe('callback_data stays within 64 bytes', () => {
  it('for every button the bot can make, with the largest ids', () => {
    const number = 'P20261231-99999';
    const all = [
      ...LOCALES.map(cb.lang),
      ...CATEGORIES.flatMap((c) => [cb.reportNew(c), cb.reportNow(c), ...TICKET_KINDS.map((k) => cb.reportOk(k, c))]),
      cb.reportPick,
      cb.reportCancel,
      cb.status(number),
      ...SATISFACTION.map((s) => cb.rate(2 ** 31 - 1, s)),
      cb.formOk(number),
      cb.formOpinion(number),
      cb.paid('company'),
      cb.paid('own'),
      ...FAQ_IDS.map(cb.faq),
      cb.askCentre,
      cb.bind,
    ];
    for (const data of all) expect(Buffer.byteLength(data), data).toBeLessThanOrEqual(MAX_CALLBACK_DATA_BYTES);
  });

  it('a payload over the limit is refused before it reaches Telegram', () => {
    expect(() => checkCallbackData('x'.repeat(65))).toThrow(/64 bytes/);
    expect(() => checkCallbackData('跑'.repeat(22))).toThrow(/64 bytes/); // 66 bytes in UTF-8
    expect(checkCallbackData('x'.repeat(64))).toHaveLength(64);
  });
});

describe('splitText', () => {
  it('keeps every part within 4096 characters, cutting at line breaks, and loses nothing', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `${i} ${'暖气不热'.repeat(10)}`);
    const parts = splitText(lines.join('\n'));
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4096);
    expect(parts.join('\n')).toBe(lines.join('\n'));
  });

  it('cuts a single endless line hard, never inside a surrogate pair', () => {
    const parts = splitText('😀'.repeat(5000));
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(4096);
      expect(p).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
    }
    expect(parts.join('')).toBe('😀'.repeat(5000));
  });

  it('leaves a short text alone', () => {
    expect(splitText('你好')).toEqual(['你好']);
  });
});

describe('questions are read back from their own text', () => {
  it.each(LOCALES)('every prompt in %s, with the values it quoted', (locale) => {
    for (const key of PROMPTS) {
      const vars = {
        account: '1010000000',
        kind: '投诉/报修',
        category: '暖气不热',
        text: '第一行\n第二行：室温15度',
        materials: '自备材料',
        number: 'T20261128-0001',
      };
      const m = readPrompt(t(locale, `telegram.${promptTextKey(key)}`, vars));
      expect(m?.key).toBe(key);
      for (const [k, v] of Object.entries(m!.vars)) expect(v).toBe(vars[k as keyof typeof vars]);
    }
  });

  it('anything else is not a question', () => {
    expect(readPrompt('暖气不热')).toBeNull();
    expect(readPrompt(undefined)).toBeNull();
  });
});

describe('the FAQ', () => {
  it('has a title, keywords and an answer in both languages for every entry', () => {
    for (const l of LOCALES)
      for (const id of FAQ_IDS)
        for (const part of ['title', 'keywords', 'answer'] as const) expect(has(l, `telegram.${faqKey(id, part)}`), `${l} ${id} ${part}`).toBe(true);
  });

  it('finds the entry a question is about, in either language', () => {
    expect(matchFaq('什么时候开始供暖')).toBe('season');
    expect(matchFaq('When does the heating start?')).toBe('season');
    expect(matchFaq('室温多少度算达标')).toBe('temperature');
    expect(matchFaq('抢修电话是多少')).toBe('contact');
    expect(matchFaq('How do I pay my bill?')).toBe('pay');
    expect(matchFaq('How is the heating fee calculated?')).toBe('billing');
    expect(matchFaq('换暖气片怎么收费')).toBe('paid');
    expect(matchFaq('暖气片可以刷漆吗')).toBeNull();
  });
});

describe('the keyword classifier (used until a trained one is given)', () => {
  const org = demoOrg();
  const classify = (text: string) => createKeywordClassifier().classify(text, { communities: org.config.communities });

  it('reads no heat and the room temperature', () => {
    expect(classify('暖气不热，室温只有15度')).toMatchObject({ kind: 'complaint', category: 'no_heat', needsChoice: false, hints: { temperatureC: 15 } });
  });

  it.each(['跑水', '漏水', '爆管', '水淹', '淹了', '喷水'])('"%s" is an urgent leak (R8j)', (w) => {
    expect(classify(`家里${w}了`)).toMatchObject({ category: 'leak', severity: 'urgent', needsChoice: false });
  });

  it('does not call a denied leak a leak', () => {
    expect(classify('暖气不热，没有漏水').category).toBe('no_heat');
  });

  it('knows suggestions, questions and billing, and the community and flat', () => {
    expect(classify('建议停暖前提前通知').kind).toBe('suggestion');
    expect(classify('请问什么时候供暖？').kind).toBe('consultation');
    expect(classify('热费收多了').category).toBe('billing');
    expect(classify('幸福家园小区 3号楼2单元501 暖气不热').hints).toMatchObject({ communityId: 'c001', building: '3', unit: '2', room: '501' });
  });

  it('asks when it cannot tell', () => {
    expect(classify('你好').needsChoice).toBe(true);
  });
});

describe('words live in locales', () => {
  it("no Chinese text is written in the bot's source (conventions 5)", () => {
    const root = resolve(import.meta.dirname, '../../../src/bots/telegram');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk(root);
    const offenders = files.filter((f) => /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
