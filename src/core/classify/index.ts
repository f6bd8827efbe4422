// Understanding what residents write: category, kind, urgency, scope and ticket hints,
// from one or two sentences of Chinese or English. Pure core: no transport imports.
export { createClassifier, CONFIDENCE_THRESHOLD, type CreateClassifierOptions } from './create-classifier.js';
export { DEFAULT_CORPUS_PATH, loadCorpus } from './load-corpus.js';
export { MAX_TEXT_CHARS, TRUNCATED_CHARS } from './normalize-text.js';
export { STANDARD_ROOM_TEMPERATURE_C, URGENT_ROOM_TEMPERATURE_C } from './read-temperature.js';
export {
  CATEGORIES,
  KINDS,
  SEVERITIES,
  type Category,
  type Classifier,
  type ClassifyContext,
  type ClassifyResult,
  type CommunityRef,
  type CorpusExample,
  type Hints,
  type Kind,
  type ReasonCode,
  type Scope,
  type Severity,
} from './types.js';
