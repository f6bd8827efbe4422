export interface AddressHint {
  building?: string;
  unit?: string;
  room?: string;
}

// Building and unit numbers are often written in Chinese numerals (三号楼一单元).
const N = '(\\d{1,3}|[一二两三四五六七八九十]{1,3})';
const ROOM = '(\\d{3,4})';

// Most specific first; the first pattern that matches wins, so "3号楼2单元501" is never
// read as building 3 plus a stray "2单元".
const PATTERNS: ReadonlyArray<{ re: RegExp; parts: ReadonlyArray<keyof AddressHint> }> = [
  // 3号楼2单元501(室), 3栋2单元501室, a座1单元1201
  { re: new RegExp(`${N}\\s*(?:号楼|栋(?!楼)|幢(?!楼)|座(?!楼)|号)\\s*${N}\\s*单元\\s*${ROOM}`), parts: ['building', 'unit', 'room'] },
  { re: new RegExp(`([a-z])\\s*(?:座|栋)\\s*${N}\\s*单元\\s*${ROOM}`), parts: ['building', 'unit', 'room'] },
  // 3-2-501
  { re: /(?<![\d-])(\d{1,3})-(\d{1,2})-(\d{3,4})(?![\d-])/, parts: ['building', 'unit', 'room'] },
  // Building 3 Unit 2 Room 501 (any of the three may be missing below)
  {
    re: /\b(?:building|bldg|block|blk)\b\.?\s*#?\s*(\d{1,3}|[a-z]),?\s*unit\s*#?\s*(\d{1,2}),?\s*(?:room|rm|apt|apartment|flat)\b\.?\s*#?\s*(\d{2,4})\b/,
    parts: ['building', 'unit', 'room'],
  },
  // 3号楼2单元, 三号楼一单元
  { re: new RegExp(`${N}\\s*(?:号楼|栋(?!楼)|幢(?!楼)|座(?!楼)|号)\\s*${N}\\s*单元`), parts: ['building', 'unit'] },
  // 3号楼502, 3栋502室
  { re: new RegExp(`${N}\\s*(?:号楼|栋(?!楼)|幢(?!楼)|座(?!楼))\\s*${ROOM}(?!\\d)`), parts: ['building', 'room'] },
  // 2单元501
  { re: new RegExp(`${N}\\s*单元\\s*${ROOM}`), parts: ['unit', 'room'] },
  // 3号楼, 5栋 ("3楼" is left alone: it usually means the third floor)
  { re: new RegExp(`${N}\\s*(?:号楼|栋(?!楼)|幢(?!楼)|座(?!楼))`), parts: ['building'] },
  // A letter only counts as a building name when nothing follows it ("block c", "building a,"),
  // so "building a fence" or "buildings" are not read as addresses.
  { re: /\b(?:building|bldg|block|blk)\b\.?\s*#?\s*(\d{1,3}\b|[a-z](?=\s*(?:[,.;!?]|$|unit\b|room\b)))/, parts: ['building'] },
  { re: new RegExp(`${N}\\s*单元`), parts: ['unit'] },
  { re: /(\d{3,4})\s*(?:室|户)/, parts: ['room'] },
  { re: /\b(?:room|rm|apt|apartment|flat)\b\.?\s*#?\s*(\d{2,4})\b/, parts: ['room'] },
];

/** Reads building, unit and room from the usual ways residents write an address. */
export function readAddress(text: string): AddressHint {
  const hint: AddressHint = {};
  for (const { re, parts } of PATTERNS) {
    const m = re.exec(text);
    if (!m) continue;
    parts.forEach((part, i) => {
      const value = m[i + 1];
      if (value !== undefined && hint[part] === undefined) hint[part] = arabic(value);
    });
    // Patterns after the first match may still fill what it lacked (a room written apart).
    if (hint.building !== undefined && hint.unit !== undefined && hint.room !== undefined) break;
  }
  return hint;
}

const CN: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

function arabic(value: string): string {
  if (!/[一二两三四五六七八九十]/.test(value)) return value.toUpperCase();
  const tens = value.indexOf('十');
  if (tens === -1) return String(CN[value[0]!] ?? value);
  const high = tens === 0 ? 1 : (CN[value[tens - 1]!] ?? 1);
  const low = CN[value[tens + 1] ?? ''] ?? 0;
  return String(high * 10 + low);
}
