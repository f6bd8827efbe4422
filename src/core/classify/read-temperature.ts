/** The indoor minimum a heating company must deliver (18 °C under the Hohhot rules). */
export const STANDARD_ROOM_TEMPERATURE_C = 18;
/**
 * At or below this the home is a risk to health, not just a shortfall: the ticket is
 * urgent. 12 °C is a judgement call: well clear of the 16–17 °C that thermometer error and
 * a draughty corner explain, and the point where guidance on cold homes sees risk for
 * the elderly and infants.
 */
export const URGENT_ROOM_TEMPERATURE_C = 12;

export interface TemperatureReading {
  /** The lowest plausible indoor temperature stated, in °C. */
  temperatureC?: number;
  /** A reading under the standard, or a bound at or under it ("不到18度"). */
  belowStandard: boolean;
}

const CN_DIGITS: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

// A number, then a degree unit. "态度" and "温度" never match: a digit must come first.
const ARABIC = /(?<!\d)(零下|负|-|minus\s*)?(\d{1,2}(?:\.\d)?)\s*(?:度|摄氏度|°\s*c?|degrees?\b|deg\b|c\b)/g;
const CHINESE = /(零下|负)?([一二两三四五六七八九十]{1,3})(?:点[一二三四五六七八九])?(?:度|摄氏度)/g;
// Numbers that describe something other than the room: outdoor air, water, the radiator.
const NOT_ROOM = /室外|外面|外边|外头|户外|气温|天气|水温|供水|回水|暖气片|管子|outside|outdoor|water|radiator/;
// A number that states the standard rather than a reading ("标准是18度").
const STANDARD_MENTION = /标准|达标|规定|要求|应该|不低于|至少|standard|minimum|at least|guarantee|should/;
// "不到18度", "below 15 degrees": a bound, not a reading. The room is colder than the
// number, which is enough to say it is below standard but not what it is.
const UPPER_BOUND = /(?:不到|不足|低于|达不到|连|below|under|less than)\s*$/;
/** Finds the room temperature a resident reports, ignoring outdoor and water figures. */
export function readTemperature(text: string): TemperatureReading {
  const readings: number[] = [];
  let boundBelowStandard = false;
  const consider = (value: number, negative: boolean, at: number): void => {
    if (negative) return; // sub-zero figures are the weather, not a heated room
    const before = text.slice(Math.max(0, at - 8), at);
    if (NOT_ROOM.test(before)) return;
    if (UPPER_BOUND.test(before)) {
      if (value <= STANDARD_ROOM_TEMPERATURE_C) boundBelowStandard = true;
      return;
    }
    if (STANDARD_MENTION.test(before)) return;
    if (value < 0 || value > 35) return;
    readings.push(value);
  };
  for (const m of text.matchAll(ARABIC)) consider(Number(m[2]), Boolean(m[1]), m.index);
  for (const m of text.matchAll(CHINESE)) {
    const value = chineseNumber(m[2]!);
    if (value !== undefined) consider(value, Boolean(m[1]), m.index);
  }
  const temperatureC = readings.length > 0 ? Math.min(...readings) : undefined;
  const belowStandard = (temperatureC !== undefined && temperatureC < STANDARD_ROOM_TEMPERATURE_C) || boundBelowStandard;
  return temperatureC === undefined ? { belowStandard } : { temperatureC, belowStandard };
}

/**
 * 十二 → 12, 二十 → 20, 八 → 8; a spoken range takes its first number (十五六 → 15,
 * 七八 → 7). A bare 一 is refused: "一度" usually means "at one time".
 */
function chineseNumber(s: string): number | undefined {
  if (s === '一') return undefined;
  const tens = s.indexOf('十');
  if (tens === -1) return CN_DIGITS[s[0]!];
  const high = tens === 0 ? 1 : CN_DIGITS[s[tens - 1]!];
  if (high === undefined) return undefined;
  const low = s[tens + 1] === undefined ? 0 : CN_DIGITS[s[tens + 1]!];
  return high * 10 + (low ?? 0);
}
