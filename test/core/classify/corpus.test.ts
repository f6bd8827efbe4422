import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, createClassifier, KINDS, loadCorpus } from '../../../src/core/classify/index.js';
import { AppError } from '../../../src/core/errors.js';

describe('the training corpus', () => {
  const corpus = loadCorpus();

  it('has at least 500 examples, none repeated', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(500);
    expect(new Set(corpus.map((e) => e.text)).size).toBe(corpus.length);
  });

  it('covers every category and kind', () => {
    expect(new Set(corpus.map((e) => e.category))).toEqual(new Set(CATEGORIES));
    expect(new Set(corpus.map((e) => e.kind))).toEqual(new Set(KINDS));
  });

  it('is about four fifths Chinese and one fifth English or mixed', () => {
    const english = corpus.filter((e) => e.lang !== 'zh').length / corpus.length;
    expect(english).toBeGreaterThan(0.15);
    expect(english).toBeLessThan(0.3);
  });

  // Training time is a benchmark figure (npm run eval:classifier), not a timed test.
});

describe('a bad corpus fails at start-up with a code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'classify-corpus-'));
  const line = (text: string): string => JSON.stringify({ text, category: 'no_heat', kind: 'complaint', lang: 'zh' });

  const codeOf = (fn: () => unknown): string | undefined => {
    try {
      fn();
    } catch (error) {
      return error instanceof AppError ? error.code : 'not_an_app_error';
    }
    return undefined;
  };

  it('a missing file is corpus_not_found', () => {
    expect(codeOf(() => createClassifier({ corpusPath: join(dir, 'missing.jsonl') }))).toBe('classifier_corpus_not_found');
  });

  it('a line that is not JSON is corpus_invalid, with its line number', () => {
    const path = join(dir, 'broken.jsonl');
    writeFileSync(path, `${line('暖气不热')}\n{not json\n`);
    expect(codeOf(() => loadCorpus(path))).toBe('classifier_corpus_invalid');
    try {
      loadCorpus(path);
    } catch (error) {
      expect((error as AppError).context).toMatchObject({ line: 2, problem: 'not_json' });
    }
  });

  it('an unknown category is corpus_invalid', () => {
    const path = join(dir, 'unknown.jsonl');
    writeFileSync(path, `${JSON.stringify({ text: '暖气不热', category: 'cold', kind: 'complaint', lang: 'zh' })}\n`);
    expect(codeOf(() => loadCorpus(path))).toBe('classifier_corpus_invalid');
  });

  it('a handful of lines is corpus_too_small', () => {
    const path = join(dir, 'tiny.jsonl');
    writeFileSync(path, `${[line('暖气不热'), line('屋里很冷')].join('\n')}\n`);
    expect(codeOf(() => loadCorpus(path))).toBe('classifier_corpus_too_small');
  });
});
