/** Messages longer than this are cut before classification, so one paste cannot stall the bot. */
export const MAX_TEXT_CHARS = 5000;
/** What is kept of an over-long message: complaints state their point early. */
export const TRUNCATED_CHARS = 2000;

// Homophone and look-alike slips that pinyin input methods produce for the words this
// domain hinges on. Fixing them before tokenising lets both the model and the rules
// see the intended word.
const TYPO_FIXES: ReadonlyArray<readonly [RegExp, string]> = [
  [/暖器|暖汽|暧气|暖弃/g, '暖气'],
  [/漏谁|漏税/g, '漏水'],
  [/跑谁/g, '跑水'],
  [/收废员/g, '收费员'],
  [/不执/g, '不热'],
];

export interface NormalizedText {
  text: string;
  truncated: boolean;
}

/**
 * Puts a message into one canonical form for the tokenizer, the rules and the hint
 * patterns: NFKC folds full-width digits and letters and turns ℃ into °C, case is folded
 * for English, whitespace is collapsed.
 */
export function normalizeText(raw: string): NormalizedText {
  let text = raw;
  let truncated = false;
  if (text.length > MAX_TEXT_CHARS) {
    // Slice by code point so a cut never leaves half a surrogate pair behind.
    text = Array.from(text).slice(0, TRUNCATED_CHARS).join('');
    truncated = true;
  }
  text = text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  for (const [pattern, fix] of TYPO_FIXES) text = text.replace(pattern, fix);
  return { text, truncated };
}
