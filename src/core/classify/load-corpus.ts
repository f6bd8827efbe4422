import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors.js';
import { CATEGORIES, KINDS, type CorpusExample } from './types.js';

/** The labelled corpus kept in the repository (data/ is gitignored, so it lives apart). */
export const DEFAULT_CORPUS_PATH = fileURLToPath(new URL('../../../data-corpus/classifier.jsonl', import.meta.url));

// Below this the model cannot have seen every label in both languages; failing at
// start-up beats a bot that files everything under one category.
const MIN_EXAMPLES = 50;

const LANGS = new Set(['zh', 'en', 'mixed']);

/** Reads and validates the JSONL corpus; throws AppError (classifier_corpus_*) on a missing file or bad line. */
export function loadCorpus(path: string = DEFAULT_CORPUS_PATH): CorpusExample[] {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new AppError('classifier_corpus_not_found', `classifier corpus ${path} cannot be read`, { path, cause });
  }
  const examples: CorpusExample[] = [];
  raw.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new AppError('classifier_corpus_invalid', `${path}:${index + 1}: not JSON`, { path, line: index + 1, problem: 'not_json' });
    }
    if (!isExample(row)) throw new AppError('classifier_corpus_invalid', `${path}:${index + 1}: bad fields`, { path, line: index + 1, problem: 'bad_fields' });
    examples.push(row);
  });
  if (examples.length < MIN_EXAMPLES)
    throw new AppError('classifier_corpus_too_small', `${path}: only ${examples.length} examples`, { path, count: examples.length });
  return examples;
}

function isExample(row: unknown): row is CorpusExample {
  if (typeof row !== 'object' || row === null) return false;
  const r = row as Record<string, unknown>;
  return (
    typeof r.text === 'string' &&
    r.text.trim() !== '' &&
    (CATEGORIES as readonly unknown[]).includes(r.category) &&
    (KINDS as readonly unknown[]).includes(r.kind) &&
    LANGS.has(r.lang as string)
  );
}
