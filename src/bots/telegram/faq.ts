/**
 * The FAQ of R20/R22 (heating season, indoor temperature standard, who to call, billing, paid
 * services) and the everyday matters of a heating account (suspending the heating of an empty flat, refunds, turning the valve on, ways to pay):
 * questions, keywords and answers live in locales (telegram.faq.<id>, and telegram.faq2.<id> for
 * the later entries), values that differ per company (dates, hotlines, fees) come from the
 * organisation config. A question is matched by how much of it the keywords cover (scoreFaq).
 */
import { FAQ_SCORE_THRESHOLD, scoreFaq, type FaqMatch, type FaqPhrases } from '../../core/classify/score-faq.js';
import type { Org } from '../../core/org/org.js';
import { has, keys, LOCALES, type Locale } from '../../i18n/index.js';
import { tt } from './context.js';
import { yuan } from './render.js';

/** Entry ids, in the order the topic buttons show them. */
export const FAQ_IDS = ['season', 'temperature', 'contact', 'billing', 'pay', 'suspend', 'turn_on', 'refund', 'paid'] as const;
export type FaqId = (typeof FAQ_IDS)[number];

// The later entries keep their words in a file of their own (locales/<lang>/telegram.faq2.json).
const LATER: ReadonlySet<FaqId> = new Set(['suspend', 'refund', 'turn_on', 'pay']);

/** The locale key (under telegram.) of an entry's title (the topic button's label), keywords or answer. */
export function faqKey(id: FaqId, part: 'title' | 'keywords' | 'answer'): string {
  return `${LATER.has(id) ? 'faq2' : 'faq'}.${id}.${part}`;
}
const keyOf = faqKey;

let phraseIndex: FaqPhrases<FaqId>[] | undefined;

function index(): FaqPhrases<FaqId>[] {
  // The narrower later entries come first, so that they win a tie: "can I get a refund" is the
  // refund entry's question, though "refund" is among the billing entry's keywords too.
  const order = [...FAQ_IDS.filter((id) => LATER.has(id)), ...FAQ_IDS.filter((id) => !LATER.has(id))];
  phraseIndex ??= order.map((id) => ({
    id,
    // Keywords of every language: a resident who chose English may still write Chinese. More
    // ways to ask an entry's question may sit in telegram.understand.faq_phrases.<id>.
    phrases: LOCALES.flatMap((l) => [
      ...tt(l, keyOf(id, 'keywords')).split('|'),
      ...(has(l, `telegram.understand.faq_phrases.${id}`) ? tt(l, `understand.faq_phrases.${id}`).split('|') : []),
    ])
      .map((w) => w.trim().toLowerCase())
      .filter(Boolean),
  }));
  return phraseIndex;
}

/** The best entry for a question and its score, whatever the score (for the evaluation and tests). */
export function scoreFaqQuestion(question: string): FaqMatch<FaqId> | null {
  return scoreFaq(question, index());
}

/** The entry a question is about when its keywords cover enough of it (FAQ_SCORE_THRESHOLD), or null. */
export function matchFaq(question: string): FaqId | null {
  const best = scoreFaqQuestion(question);
  return best && best.score >= FAQ_SCORE_THRESHOLD ? best.id : null;
}

function monthDay(mmdd: string, locale: Locale): string {
  const [m, d] = mmdd.split('-').map(Number);
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { month: 'long', day: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2026, m - 1, d)),
  );
}

/** An FAQ entry's answer; the basic labour fee is the resident's branch's when the bot knows the branch (R12), else the company's. */
export function faqAnswer(org: Org, id: FaqId, locale: Locale, branchId: string | null = null): string {
  const c = org.config.company;
  return [
    tt(locale, keyOf(id, 'title')),
    tt(locale, keyOf(id, 'answer'), {
      seasonStart: monthDay(c.heatingSeason.start, locale),
      seasonEnd: monthDay(c.heatingSeason.end, locale),
      hotline: c.hotline,
      emergencyHotline: c.emergencyHotline,
      basicLabourFee: yuan(org.labourFeeCents(branchId)),
    }),
  ].join('\n');
}

/** Every FAQ entry has a title, keywords and an answer (checked by the tests). */
export function faqKeys(locale: Locale): string[] {
  return [...keys(locale, 'telegram.faq.'), ...keys(locale, 'telegram.faq2.')];
}
