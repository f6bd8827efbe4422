// Water escaping is the one case the regulation says must never wait (R8 j), so leak
// words override the model. Each pattern names a way residents say water is getting out;
// the narrow ones (爆, 裂, 漏 + particle) keep "电话打爆了" or "漏交了热费" out.
const LEAK_PATTERNS: readonly RegExp[] = [
  /跑水|漏水|渗水|渗漏|往外渗|滴水|滴答|喷水|喷热水|往外喷|冒水|冒热水|淌水|往外淌|水淹|淹/g,
  /流水(?!声)|流了一地|一地水|全是水|都是水|一屋子水|泡水|往下滴|往下流|往外流|往下漏|往外冒|往外窜|进水了|水漫/g,
  /漏(?:了|的|个|着|啦|得)|[在老总还又]漏|一直漏|打漏|锈穿|跑冒滴漏|嗞水|滋水|泡了|泡起来|被泡/g,
  /爆管|冻裂|(?:暖气|管|片|阀|接头|接口)[^，。,.!！?？\s]{0,3}(?:爆|崩|裂)/g,
  /冒(?:热气|白气|蒸汽|白烟)/g,
  /\bleak(?:s|ed|ing|y)?\b|\bleek(?:s|ing)?\b|\bburst\b|\bflood(?:s|ed|ing)?\b|\bdrip(?:s|ped|ping)?\b/g,
  /\bspray(?:s|ing)?\b|\bgush(?:es|ing)?\b|\bpouring\b|\bpuddles?\b|\bsoaked\b|water everywhere|water (?:\w+ )?(?:coming|pouring|gushing|spraying|dripping)|steam (?:is )?coming/g,
];

const CLAUSE_BREAK = /[,，。.!！?？;；:：\n]/;
// "没漏水", "不是跑水", "没有发现漏水", "not a leak", "no leaks".
const NEGATED_BEFORE =
  /(?:不是|没有|没|并非|并没有|不算|无|不像)(?:发现|看到|看见|什么|啥|有)?$|\b(?:not|no|never|isn'?t|wasn'?t|aren'?t|without|nor)\s+(?:a\s+|an\s+|any\s+)?$/;
// "漏水倒没有", "跑水？没有".
const NEGATED_AFTER = /^(?:倒|倒是|也)(?:没有|没|不是)|^(?:了)?(?:没有|没)$/;

export interface LeakDetection {
  /** A leak word that is not negated. */
  found: boolean;
  /** Only negated leak words ("不是跑水"). */
  negatedOnly: boolean;
}

/** Looks for leak and flooding words in normalised text, ignoring negated ones. */
export function detectLeak(text: string): LeakDetection {
  let sawNegated = false;
  for (const pattern of LEAK_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (isNegated(clauseBefore(text, start), clauseAfter(text, end))) sawNegated = true;
      else return { found: true, negatedOnly: false };
    }
  }
  return { found: false, negatedOnly: sawNegated };
}

function isNegated(before: string, after: string): boolean {
  return NEGATED_BEFORE.test(before) || NEGATED_AFTER.test(after);
}

function clauseBefore(text: string, at: number): string {
  let i = at;
  while (i > 0 && !CLAUSE_BREAK.test(text[i - 1]!)) i--;
  return text.slice(i, at);
}

function clauseAfter(text: string, at: number): string {
  let i = at;
  while (i < text.length && !CLAUSE_BREAK.test(text[i]!)) i++;
  return text.slice(at, i).trim();
}
