import { normalizeText } from './normalize-text.js';

/** One FAQ entry as the matcher sees it: its id and the phrases that ask for it. */
export interface FaqPhrases<Id extends string = string> {
  id: Id;
  phrases: readonly string[];
}

/** The best entry for a question and how much of the question its phrases cover (0..1). */
export interface FaqMatch<Id extends string = string> {
  id: Id;
  score: number;
}

/**
 * Under this score a question is not taken as an FAQ question: it goes to the classifier and
 * becomes a proposal. Measured on the labelled questions and problems of
 * test/core/classify/faq-routing.test.ts (see tools/eval-classifier.ts for the numbers).
 */
export const FAQ_SCORE_THRESHOLD = 0.3;

// Politeness, particles and filler carry no topic: they must not dilute a short question.
const FILLER =
  /怎么弄|怎么办|怎么整|咋弄|咋办|咋整|请问|麻烦问一下|问一下|想问|我想|你好|您好|师傅|谢谢|请|一下|我们|我家|咱们|俺家|这个|那个|就是|呀|啊|吧|呢|吗|嘛|哦|的|了|please|could you|can you|tell me|hello|\bhi\b|\bi\b|\bthe\b|\ba\b|\bis\b|\bmy\b|\bdo\b|\bwe\b/g;
const NOT_COUNTED = /[\s\p{P}\p{S}]/gu;

/**
 * Scores each entry by the share of the question's meaningful characters that its phrases
 * cover (overlapping phrases counted once), and returns the best. Coverage rather than a count
 * of hits: "几号开始供暖" is nearly all season phrase, while "暖气不热 什么时候能修好" is mostly
 * about the fault, so a phrase that happens to occur in a long complaint does not win.
 */
export function scoreFaq<Id extends string>(question: string, entries: readonly FaqPhrases<Id>[]): FaqMatch<Id> | null {
  const text = normalizeText(question).text;
  const counted = new Array<boolean>(text.length).fill(true);
  for (const m of text.matchAll(FILLER)) counted.fill(false, m.index, m.index + m[0].length);
  for (const m of text.matchAll(NOT_COUNTED)) counted.fill(false, m.index, m.index + m[0].length);
  const meaningful = counted.filter(Boolean).length;
  if (meaningful === 0) return null;
  let best: FaqMatch<Id> | null = null;
  for (const { id, phrases } of entries) {
    const covered = new Array<boolean>(text.length).fill(false);
    for (const phrase of phrases) {
      const p = phrase.trim().toLowerCase();
      if (!p) continue;
      for (let at = text.indexOf(p); at >= 0; at = text.indexOf(p, at + 1)) covered.fill(true, at, at + p.length);
    }
    const score = covered.filter((c, i) => c && counted[i]).length / meaningful;
    if (score > 0 && (!best || score > best.score)) best = { id, score };
  }
  return best;
}

/** What the bot knows about a message when it decides between an FAQ answer and a proposal. */
export interface FaqRouting {
  /** scoreFaq's score of the best entry, 0 when none matched */
  faqScore: number;
  /** statesFault: the message reports a cold home, water getting out or noise */
  faultStated: boolean;
  /** the classifier's kind and how sure it is */
  kind: string;
  kindConfidence: number;
}

// A complaint the classifier is this sure of is a problem, unless the FAQ's words make up
// nearly all of it ("报停" alone): "这个月热费扣多了" mentions 热费 but asks for no answer.
const SURE_COMPLAINT = 0.75;
const WHOLE_QUESTION = 0.9;

/**
 * Whether an FAQ answer, rather than a ticket proposal, is the reply: the FAQ is checked first,
 * but it never takes a stated fault ("暖气不热 什么时候能修好" is a repair) nor a complaint the
 * classifier is sure of, unless the question is nothing but an FAQ topic.
 */
export function takesFaq(r: FaqRouting): boolean {
  if (r.faultStated || r.faqScore < FAQ_SCORE_THRESHOLD) return false;
  if (r.kind === 'complaint' && r.kindConfidence >= SURE_COMPLAINT) return r.faqScore >= WHOLE_QUESTION;
  return true;
}
