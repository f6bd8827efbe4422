import { Jieba } from '@node-rs/jieba';
// The bare specifier '@node-rs/jieba/dict' fails under Node's ESM resolver (the package
// has no "exports" map), so the file is named in full.
import { dict } from '@node-rs/jieba/dict.js';
import tokenizers from 'natural/lib/natural/tokenizers/regexp_tokenizer.js';
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { heatingDictionary } from './heating-dictionary.js';

let jieba: Jieba | undefined;

// Loading the general dictionary takes a few hundred milliseconds; every classifier in
// the process (and every fold of the evaluation) shares one segmenter.
function segmenter(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    jieba.loadDict(heatingDictionary());
  }
  return jieba;
}

const wordTokenizer = new tokenizers.WordTokenizer();

// Words after which the next content word is negated: "不是跑水是不热" must not count as
// evidence of a leak, so 跑水 becomes the separate feature "!跑水".
const NEGATORS = new Set([
  '不是',
  '没',
  '没有',
  '并非',
  '并没有',
  '倒不是',
  '不算',
  '无',
  'not',
  'no',
  'never',
  'isn',
  'wasn',
  'aren',
  'don',
  'doesn',
  'didn',
  'nor',
]);
// Skipped between a negator and the word it negates ("没有发现漏水", "not a leak").
const NEGATION_FILLERS = new Set(['是', '有', '什么', '啥', '发现', '看到', 't', 'a', 'an', 'ani', 'the', 'realli']);
// Frequent words that carry no category or kind signal and only add noise to the counts.
const STOP_WORDS = new Set([
  '的',
  '了',
  '啊',
  '呀',
  '吧',
  '呢',
  '哦',
  '嘛',
  '着',
  '我',
  '我们',
  '俺',
  '你们',
  '他',
  '她',
  'the',
  'a',
  'an',
  'it',
  's',
  't',
  'to',
  'of',
  'and',
  'i',
  'me',
  'my',
  'we',
  'our',
  'us',
  'thi',
  'that',
  'be',
  'wa',
  'ha',
  'in',
  'on',
  'at',
]);

const CJK_RUN = /[\u3400-\u9fff]+/y;
const LATIN_RUN = /[a-z0-9_']+/y;
const QUESTION = /[?？]/y;
const CLAUSE_BREAK = /[,，。.!！;；:：、\n]+/y;

/** Marker token for a question mark: questions lean towards consultation. */
export const QUESTION_TOKEN = '<q>';

/**
 * Turns normalised text into the word tokens the model counts: jieba words for Chinese
 * runs, stemmed natural WordTokenizer words for Latin runs, negation folded into the
 * negated word, numbers dropped (their meaning is taken by the hint patterns).
 */
export function tokenizeMessage(text: string): string[] {
  const tokens: string[] = [];
  let negate = false;
  const push = (token: string): void => {
    if (NEGATORS.has(token)) {
      tokens.push(token);
      negate = true;
      return;
    }
    if (negate && NEGATION_FILLERS.has(token)) return;
    if (STOP_WORDS.has(token)) return;
    tokens.push(negate ? `!${token}` : token);
    negate = false;
  };

  let i = 0;
  while (i < text.length) {
    const run = matchAt(CJK_RUN, text, i);
    if (run) {
      for (const word of segmenter().cut(run, false)) push(word);
      i += run.length;
      continue;
    }
    const latin = matchAt(LATIN_RUN, text, i);
    if (latin) {
      for (const word of wordTokenizer.tokenize(latin)) {
        if (!/^\d+$/.test(word)) push(PorterStemmer.stem(word));
      }
      i += latin.length;
      continue;
    }
    if (matchAt(QUESTION, text, i)) {
      tokens.push(QUESTION_TOKEN);
      negate = false;
      i += 1;
      continue;
    }
    const brk = matchAt(CLAUSE_BREAK, text, i);
    if (brk) {
      // Negation does not reach across a clause: "没人在家，跑水了" is a leak.
      negate = false;
      i += brk.length;
      continue;
    }
    i += 1; // spaces, symbols, emoji
  }
  return tokens;
}

function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}
