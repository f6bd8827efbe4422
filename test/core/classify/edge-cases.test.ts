import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_TEXT_CHARS, TRUNCATED_CHARS } from '../../../src/core/classify/index.js';
import { residentWrites } from './classifier-fixture.js';

describe('messages that are not ordinary sentences', () => {
  it.each([
    ['an empty message', ''],
    ['only whitespace', '   \n\t  '],
  ])('%s asks the resident to choose, with zero confidence', (_, text) => {
    expect(residentWrites(text)).toEqual({
      kind: 'complaint',
      category: 'other',
      severity: 'normal',
      scope: 'secondary',
      confidence: { category: 0, kind: 0 },
      needsChoice: true,
      belowStandard: false,
      hints: {},
      reasons: ['empty_text'],
    });
  });

  it('only punctuation or emoji still gives a valid result that asks to choose', () => {
    const result = residentWrites('？？？😡😡');
    expect(result.needsChoice).toBe(true);
    expect(result.reasons).toContain('low_confidence');
  });

  it(`a message over ${MAX_TEXT_CHARS} characters is cut to its first ${TRUNCATED_CHARS} before it is classified`, () => {
    const opening = '楼上跑水了，水顺着墙往下淌，';
    const filler = '我们家已经等了好几天，';
    let text = opening;
    while (text.length < 4000) text += filler;
    text += '户号12345678';
    while (text.length <= MAX_TEXT_CHARS) text += filler;

    const result = residentWrites(text);

    expect(result.category).toBe('leak');
    expect(result.reasons).toContain('truncated');
    // The account sits after character 2,000, so it was cut away with the rest.
    expect(result.hints.account).toBeUndefined();
  });

  it(`a message of exactly ${MAX_TEXT_CHARS} characters is classified whole`, () => {
    let text = '暖气不热，';
    while (text.length < MAX_TEXT_CHARS - 12) text += '屋里很冷，';
    text = `${text}户号12345678`.padEnd(MAX_TEXT_CHARS, '冷');
    expect(text.length).toBe(MAX_TEXT_CHARS);
    const result = residentWrites(text);
    expect(result.reasons).not.toContain('truncated');
    expect(result.hints.account).toBe('12345678');
  });

  it('a cut through an emoji does not break the text', () => {
    const text = '暖气不热'.padEnd(TRUNCATED_CHARS - 1, '冷') + '😡'.repeat(2000);
    expect(() => residentWrites(text)).not.toThrow();
    expect(residentWrites(text).reasons).toContain('truncated');
  });

  it('full-width digits and letters are read like ASCII', () => {
    const { hints } = residentWrites('３号楼２单元５０１暖气不热，屋里１２℃');
    expect(hints).toMatchObject({ building: '3', unit: '2', room: '501', temperatureC: 12 });
  });

  it('loading and using the classifier prints nothing (natural would log dotenv lines)', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const script = "const m = await import('./src/core/classify/index.ts'); m.createClassifier().classify('暖气不热');";
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(output).toBe('');
  });
});
