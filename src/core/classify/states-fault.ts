import { detectLeak } from './detect-leak.js';
import { normalizeText } from './normalize-text.js';

// The faults a resident can report about their own heating, said as a fact. The classifier's
// kind is often "consultation" for "暖气不热 什么时候能修好" (a question mark, 什么时候), but the
// resident is reporting a cold home: the bot must offer a repair, not an FAQ answer.
const COLD =
  /不热|不暖|不咋热|冰凉|冰冷|拔凉|嘎嘎凉|(?<!天|天气|天儿)(?:凉(?:了|的|透|飕|冰|哇)|冷(?:得|死|了|的|飕))|冻(?:死|得|手|脚|人|了)|冰窖|没(?:有)?暖气|没(?:有)?热乎|温度(?:太|很|特别)?低|室温(?:只有|才)|不到\d+度|温乎|温吞/;
const COLD_EN = /\b(?:cold|freezing|chilly|lukewarm|no heat(?:ing)?|not warm|isn'?t warm|not heating|not working|doesn'?t work|don'?t work|won'?t heat)\b/;
const NOISE = /(?:咚咚|哐哐|嗡嗡|哗哗|咕噜|砰砰|当当)|(?:响|噪音|吵)(?:得|个不停|了|声)|有(?:噪音|响声|异响|流水声|气)|异响/;
const NOISE_EN = /\b(?:noisy|noise|banging|knocking|gurgling|rattling|humming|hissing|clanking)\b/;
// "天冷了" is the weather, not the flat: the lookbehind keeps it out.
// A fault put as a condition or a hypothetical is a question about what would happen.
const HYPOTHETICAL = /的话|如果|要是|假如|万一|一般|\bif\b|\bin case\b|\busually\b/;
const NEGATED = /(?:不是|没有|没|并不|并没有|倒不|也不)(?:是|有)?$|\b(?:not|no|isn'?t|aren'?t)\s+(?:a\s+|any\s+)?$/;

/**
 * Whether a message states a fault in the heating as a fact (cold, water getting out, noise),
 * not as a condition ("不热的话…") and not negated ("不是不热"). Such a message is a repair
 * request however it is phrased, so an FAQ answer must not take it.
 */
export function statesFault(raw: string): boolean {
  const { text } = normalizeText(raw);
  if (detectLeak(text).found) return true;
  if (HYPOTHETICAL.test(text)) return false;
  for (const pattern of [COLD, COLD_EN, NOISE, NOISE_EN]) {
    const m = pattern.exec(text);
    if (m && !NEGATED.test(text.slice(Math.max(0, m.index - 4), m.index))) return true;
  }
  return false;
}
