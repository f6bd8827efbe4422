import { assessUrgency } from './assess-urgency.js';
import { detectLeak } from './detect-leak.js';
import { extractHints } from './extract-hints.js';
import { loadCorpus } from './load-corpus.js';
import { messageFeatures } from './message-features.js';
import { trainLabelModel } from './naive-bayes-model.js';
import { normalizeText } from './normalize-text.js';
import { readTemperature } from './read-temperature.js';
import type { Category, Classifier, ClassifyContext, ClassifyResult, CorpusExample, Kind, ReasonCode } from './types.js';

/**
 * Under this calibrated posterior (for the category or the kind) the bot should offer the
 * resident the choices instead of filing on a guess. In the k-fold evaluation the category
 * is at or above it for 91 % of messages and then right 95 % of the time; about one
 * message in seven gets a question. Raising it to 0.7 asks one in five.
 */
export const CONFIDENCE_THRESHOLD = 0.6;

// A leak word overrides the model, so the leak category is not in doubt: the resident
// must not be asked to pick a category while water is running.
const LEAK_RULE_CONFIDENCE = 0.95;

export interface CreateClassifierOptions {
  /** The labelled JSONL corpus; defaults to data-corpus/classifier.jsonl. */
  corpusPath?: string;
  /** Train on these instead of reading a file (the evaluation's folds). */
  examples?: readonly CorpusExample[];
}

/** Trains the category and kind models from the corpus (a few hundred ms) and returns the classifier. */
export function createClassifier(opts: CreateClassifierOptions = {}): Classifier {
  const examples = opts.examples ?? loadCorpus(opts.corpusPath);
  const features = examples.map((e) => messageFeatures(normalizeText(e.text).text));
  const categoryModel = trainLabelModel<Category>(examples.map((e, i) => ({ features: features[i]!, label: e.category })));
  const kindModel = trainLabelModel<Kind>(examples.map((e, i) => ({ features: features[i]!, label: e.kind })));

  return {
    classify(raw: string, ctx: ClassifyContext = {}): ClassifyResult {
      const { text, truncated } = normalizeText(typeof raw === 'string' ? raw : '');
      if (text === '') return emptyResult();

      const feats = messageFeatures(text);
      const predictedCategory = categoryModel.predict(feats);
      const predictedKind = kindModel.predict(feats);
      const leak = detectLeak(text);

      let category = predictedCategory.label;
      let categoryConfidence = predictedCategory.probability;
      if (leak.found) {
        categoryConfidence = Math.max(category === 'leak' ? categoryConfidence : 0, LEAK_RULE_CONFIDENCE);
        category = 'leak';
      }

      const temperature = readTemperature(text);
      const urgency = assessUrgency({ text, category, leakWord: leak.found, temperature });
      const reasons: ReasonCode[] = [...urgency.reasons];
      if (truncated) reasons.unshift('truncated');
      if (leak.negatedOnly) reasons.push('leak_word_negated');
      const needsChoice = categoryConfidence < CONFIDENCE_THRESHOLD || predictedKind.probability < CONFIDENCE_THRESHOLD;
      if (needsChoice) reasons.push('low_confidence');

      const hints = extractHints(text, ctx.communities);
      if (temperature.temperatureC !== undefined) hints.temperatureC = temperature.temperatureC;

      return {
        kind: predictedKind.label,
        category,
        severity: urgency.severity,
        scope: urgency.scope,
        confidence: { category: round(categoryConfidence), kind: round(predictedKind.probability) },
        needsChoice,
        belowStandard: temperature.belowStandard,
        hints,
        reasons,
      };
    },
  };
}

// Nothing to classify: a plain complaint about "other" that the bot must ask about.
function emptyResult(): ClassifyResult {
  return {
    kind: 'complaint',
    category: 'other',
    severity: 'normal',
    scope: 'secondary',
    confidence: { category: 0, kind: 0 },
    needsChoice: true,
    belowStandard: false,
    hints: {},
    reasons: ['empty_text'],
  };
}

function round(p: number): number {
  return Math.round(p * 1000) / 1000;
}
