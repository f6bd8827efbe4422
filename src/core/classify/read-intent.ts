/**
 * What a resident's message is for, read before the classifier: small talk (a greeting, thanks,
 * a word that says nothing) and questions about a ticket already filed (where is it, hurry up).
 * The classifier knows only problems, so "你好" became a consultation and "谢谢师傅" a suggestion.
 *
 * A greeting or thanks must be the whole message ("你好，暖气不热" is a report, "谢谢，但是还是
 * 漏水" is not thanks): the text is read as a sequence of known words and fillers, and one word
 * outside them makes it something else. Urging is a phrase anywhere in the message; whether the
 * message also names a problem is told apart, so that without an open ticket "暖气不热，怎么还没
 * 人来" is still a report.
 */

/** The reading: null when the message is (or may be) about a problem: the classifier's turn. */
export type ResidentIntent =
  | { intent: 'greeting' }
  | { intent: 'thanks' }
  /** nothing to go on: too short and no problem word */
  | { intent: 'unclear' }
  /** asks where a filed ticket is, or presses for it; `problem`: it also names a problem */
  | { intent: 'urge'; problem: boolean };

const GREETINGS = [
  '你好',
  '您好',
  '你们好',
  '大家好',
  '在吗',
  '在不在',
  '在么',
  '有人吗',
  '有人在吗',
  '有人么',
  '喂',
  '哈喽',
  '嗨',
  '早上好',
  '上午好',
  '中午好',
  '下午好',
  '晚上好',
  '早',
  '早安',
  '师傅好',
  '老师好',
  'hello',
  'hallo',
  'hi',
  'hey',
  'goodmorning',
  'goodafternoon',
  'goodevening',
  'morning',
  'anyonethere',
  'isanyonethere',
];

const THANKS = [
  '谢谢',
  '谢啦',
  '谢了',
  '多谢',
  '感谢',
  '感谢感谢',
  '辛苦了',
  '辛苦',
  '麻烦了',
  '麻烦您了',
  '费心了',
  '好的',
  '好嘞',
  '好滴',
  '知道了',
  '收到',
  '明白了',
  '行',
  '嗯嗯',
  'thanks',
  'thank',
  'thankyou',
  'thx',
  'ty',
  'ok',
  'okay',
  'great',
  'cheers',
  '👍',
];

/** Words that go with a greeting or thanks and say nothing on their own. */
const FILLERS = [
  '师傅',
  '师父',
  '老师',
  '同志',
  '小姐',
  '小姐姐',
  '客服',
  '你',
  '您',
  '你们',
  '大家',
  '了',
  '啦',
  '啊',
  '呀',
  '哈',
  '哈哈',
  '呢',
  '嘛',
  '吧',
  '哦',
  '噢',
  '嗯',
  '非常',
  '太',
  '真是',
  '真的',
  '十分',
  '万分',
  '请问',
  '一下',
  'so',
  'much',
  'very',
  'a',
  'lot',
  'alot',
  'there',
  'you',
  'all',
  'sir',
  'guys',
  'again',
];

/**
 * Pressing for a ticket or asking where it is. "什么时候来" but not "什么时候来暖气" (when the
 * heating season starts: a question for the FAQ, not about a ticket).
 */
const URGE = [
  /怎么还没(有)?(人)?(来|到|修|处理|管)/,
  /还没(有)?(人)?(来|到|上门)/,
  /人呢/,
  /人在哪/,
  /(什么|啥)时候(能|才)?(到|来|上门|修|处理|派人|有人)(?!暖|热|气|供)/,
  /几点(能|才)?(到|来|上门)/,
  /多久(能|才)?(到|来|上门|修好|处理)/,
  /催(一下|一催|催|办|促)?/,
  /(快点|赶紧|赶快|尽快)(来|派人|过来|修|处理)/,
  /到哪(了|一步)/,
  /进度/,
  /(怎么样|咋样)了/,
  /有(没有)?(人)?(管|理)(吗|么)/,
  /没人(管|理|来)/,
  /等了(好|很|半|一|两|三|几)/,
  /还要等多久/,
  /\bhurry\b/,
  /\bstill waiting\b/,
  /\bany (update|news)\b/,
  /\bwhen (will|is|are|do) (someone|somebody|anyone|you|the|they|your)\b.*\b(come|coming|arrive|here|fix|repair)/,
  /\bwhere is (the|my|your) (technician|worker|repair|plumber|engineer|ticket)/,
  /\bnobody (came|has come|showed)/,
  /\bno one (came|has come|showed)/,
];

/** Words that name a heating problem or a service: a message with one is not small talk. */
const PROBLEM =
  /[暖热冷凉冰温度漏渗滴淌流水响声吵噪压费钱缴票账阀管片坏修堵味臭烫]|停(暖|热|气|供)|报停|开栓|投诉|态度|户号|\b(heat|heating|radiator|cold|warm|leak|water|noise|noisy|bill|pay|fee|broken|repair|pipe|valve|temperature|freezing)/;

function normalize(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[\s\p{P}~～`^=+<>|$]+/gu, '')
    .replace(/\u{FE0F}/gu, '')
    .replace(/[\u{1F300}-\u{1FAFF}\u{2600}-\u{27BF}]/gu, (m) => (m === '👍' ? m : ''));
}

/** A word list with the fillers, indexed by first character (read-intent runs on every message). */
interface Vocabulary {
  byFirst: Map<string, string[]>;
  own: Set<string>;
}
const vocabularies = new WeakMap<readonly string[], Vocabulary>();

function vocabularyOf(words: readonly string[]): Vocabulary {
  let v = vocabularies.get(words);
  if (!v) {
    const byFirst = new Map<string, string[]>();
    for (const w of new Set([...words, ...FILLERS])) byFirst.set(w[0], [...(byFirst.get(w[0]) ?? []), w]);
    v = { byFirst, own: new Set(words) };
    vocabularies.set(words, v);
  }
  return v;
}

/** Whether the whole text is a run of `words` and fillers with at least one of `words`. */
function madeOf(text: string, words: readonly string[]): boolean {
  const { byFirst, own } = vocabularyOf(words);
  // from the end: can the rest from i be read whole, and with one of `words` in it? (every reading, not a greedy one)
  const rest: ({ own: boolean } | null)[] = new Array(text.length + 1).fill(null);
  rest[text.length] = { own: false };
  for (let i = text.length - 1; i >= 0; i--)
    for (const w of byFirst.get(text[i]) ?? []) {
      const after = text.startsWith(w, i) ? rest[i + w.length] : null;
      if (after && !rest[i]?.own) rest[i] = { own: own.has(w) || after.own };
    }
  return rest[0]?.own ?? false;
}

/** Reads a resident's message; null when it is for the classifier (a problem, a question, a detail). */
export function readIntent(text: string): ResidentIntent | null {
  const plain = normalize(text);
  if (!plain) return { intent: 'unclear' };
  const lower = text.toLowerCase().normalize('NFKC');
  const urge = URGE.filter((re) => re.test(lower));
  if (urge.length) {
    // the problem is read from what is left once the urging words are taken out ("什么时候来修": 修 is urging)
    const rest = urge.reduce((s, re) => s.replace(new RegExp(re.source, 'g'), ' '), lower);
    return { intent: 'urge', problem: PROBLEM.test(rest) };
  }
  if (madeOf(plain, GREETINGS)) return { intent: 'greeting' };
  if (madeOf(plain, THANKS)) return { intent: 'thanks' };
  if (PROBLEM.test(lower)) return null;
  const latin = /^[a-z0-9]+$/.test(plain);
  if ((latin && plain.length <= 4) || (!latin && [...plain].length <= 2)) return { intent: 'unclear' };
  return null;
}
