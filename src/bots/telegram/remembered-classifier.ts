/**
 * The classifier with a short memory. One message is classified several times on its way
 * through the bot (is it several problems? a leak? a question?), by features that do not share
 * their results; classification is pure for a given text, so the last few answers are kept.
 */
import type { TextClassification, TextClassifier } from './classifier.js';

/** Messages remembered: the ones in flight at once on a busy instance, not a cache of history. */
const REMEMBERED = 64;

export function rememberedClassifier(inner: TextClassifier): TextClassifier {
  const recent = new Map<string, TextClassification>();
  return {
    classify(text, ctx) {
      // the communities are the organisation's, the same on every call of one bot
      const hit = recent.get(text);
      if (hit) return hit;
      const result = inner.classify(text, ctx);
      if (recent.size >= REMEMBERED) recent.delete(recent.keys().next().value as string);
      recent.set(text, result);
      return result;
    },
  };
}
