import { readFileSync } from 'node:fs';
import { createClassifier, DEFAULT_CORPUS_PATH, type ClassifyResult, type CommunityRef } from '../../../src/core/classify/index.js';

// One trained classifier per test file: training takes a few hundred milliseconds.
const classifier = createClassifier();

const corpusTexts = new Set(
  readFileSync(DEFAULT_CORPUS_PATH, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { text: string }).text),
);

/**
 * What the classifier makes of a resident's message. Refuses sentences copied from the
 * training corpus: a test on a training line proves nothing about new messages.
 */
export function residentWrites(text: string, communities?: CommunityRef[]): ClassifyResult {
  if (corpusTexts.has(text)) throw new Error(`test sentence is a training example: ${text}`);
  return classifier.classify(text, communities ? { communities } : {});
}

/** The organisation's communities as the org config lists them. */
export const communities: CommunityRef[] = [
  { id: 'sunshine', name: '阳光小区', aliases: ['阳光花园', 'Sunshine Garden'] },
  { id: 'sunshine-2', name: '阳光小区二期', aliases: [] },
  { id: 'riverside', name: '滨河湾', aliases: ['滨河', 'Riverside'] },
];
