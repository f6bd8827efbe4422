/**
 * The small FAQ of R20/R22 (heating season, indoor temperature standard, who to call, billing,
 * paid services): questions, keywords and answers live in locales (telegram.faq.<id>), values
 * that differ per company (dates, hotlines, fees) come from the organisation config.
 */
import type { Org } from '../../core/org/org.js';
import { keys, LOCALES, type Locale } from '../../i18n/index.js';
import { tt } from './context.js';
import { yuan } from './render.js';

/** Entry ids, in the order the topic buttons show them. */
export const FAQ_IDS = ['season', 'temperature', 'contact', 'billing', 'paid'] as const;
export type FaqId = (typeof FAQ_IDS)[number];

let keywordIndex: { id: FaqId; words: string[] }[] | undefined;

function index() {
  keywordIndex ??= FAQ_IDS.map((id) => ({
    id,
    // Keywords of every language: a resident who chose English may still write Chinese.
    words: LOCALES.flatMap((l) => tt(l, `faq.${id}.keywords`).split('|'))
      .map((w) => w.trim().toLowerCase())
      .filter(Boolean),
  }));
  return keywordIndex;
}

/** The entry a question is about (most keywords found), or null. */
export function matchFaq(question: string): FaqId | null {
  const q = question.toLowerCase();
  let best: { id: FaqId; hits: number } | null = null;
  for (const { id, words } of index()) {
    const hits = words.filter((w) => q.includes(w)).length;
    if (hits > 0 && (!best || hits > best.hits)) best = { id, hits };
  }
  return best?.id ?? null;
}

function monthDay(mmdd: string, locale: Locale): string {
  const [m, d] = mmdd.split('-').map(Number);
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { month: 'long', day: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2026, m - 1, d)),
  );
}

export function faqAnswer(org: Org, id: FaqId, locale: Locale): string {
  const c = org.config.company;
  return [
    tt(locale, `faq.${id}.title`),
    tt(locale, `faq.${id}.answer`, {
      seasonStart: monthDay(c.heatingSeason.start, locale),
      seasonEnd: monthDay(c.heatingSeason.end, locale),
      hotline: c.hotline,
      emergencyHotline: c.emergencyHotline,
      basicLabourFee: yuan(c.basicLabourFeeCents),
    }),
  ].join('\n');
}

/** Every FAQ entry has a title, keywords and an answer (checked by the tests). */
export function faqKeys(locale: Locale): string[] {
  return keys(locale, 'telegram.faq.');
}
