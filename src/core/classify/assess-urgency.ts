import { URGENT_ROOM_TEMPERATURE_C, type TemperatureReading } from './read-temperature.js';
import type { Category, ReasonCode, Scope, Severity } from './types.js';

// Words that say heat is missing; the scale words below only matter together with them.
const NO_HEAT = /不热|没暖|没有暖气|凉|冷|冻|停暖|停热|没热|没来热|不供暖|没供暖|\bno heat|\bno heating|\bwithout heat|\bcold\b|\bfreezing\b|not warm/;
// One building (or one stairwell) cold: a shared riser or the building's supply, urgent.
const WHOLE_BUILDING = /整栋|整幢|整座楼|全楼|整个楼|整楼|一整栋|整个单元|全单元|整单元|整个楼道|全栋|\b(?:whole|entire) (?:building|block)\b/;
// Several buildings or the whole community cold: the station or the primary network,
// a major event for the leaders (R8 k).
const WHOLE_COMMUNITY =
  /小区都|整个小区|全小区|半个小区|整片|这一片|这片都|一片都|好几栋|几栋楼|多栋|附近几栋|几个小区|整条街|所有楼|\b(?:whole|entire) (?:community|neighbou?rhood|estate|compound|area|district)\b|\b(?:several|multiple|many|all the) buildings\b/;
// The company's own network outside the buildings: 24-hour repair target (R27).
const PRIMARY_NETWORK =
  /主管道|主管网|主管线|主干管|一次网|一次管网|一次侧|换热站|热力站|热源|锅炉房|热力井|市政管|(?:马路|路面|路上|街上|大街)[^，。,.!！?？]{0,6}(?:冒|喷|涌)|\bmain (?:pipe|line)s?\b|\bmains\b|\bheat(?:ing)? (?:exchange )?station\b|\bsubstation\b|\b(?:street|road)\b/;

// Pipe trenches under and beside the buildings, and the building's own mains in them or in the basement, carry the
// secondary network and in-building pipes outside the flats: on site within the hour (R27), and
// repaired at engineering settlement prices after a quote (R16), not the company's primary network.
const BUILDING_MAIN = /(?:楼内|楼里|楼下|楼道|单元|地下室|地沟|管沟)[^，。,.!！?？]{0,8}(?:主管道|主管网|主管线|主干管)/g;

const ELDERLY =
  /老人|老年|老太|老头|老爷子|老母亲|老父亲|爷爷|奶奶|姥姥|姥爷|外婆|外公|[七八九]十多?岁|[七八九]十多了|(?<!\d)[789]\d岁|\belderly\b|\bold (?:man|woman|lady|people|parents?|mother|father)\b|\bgrand(?:ma|pa|mother|father|parents?)\b|\bgranny\b|\bseniors?\b/;
const INFANT =
  /婴儿|宝宝|新生儿|满月|月子|孩子小|孩子还小|小孩小|(?:孩子|小孩)[^，。,.]{0,3}[一两二三四五六七八九十\d]+个月|\bbab(?:y|ies)\b|\binfants?\b|\bnewborns?\b|\btoddlers?\b/;
const VULNERABLE = /孕妇|怀孕|卧床|瘫痪|病人|生病|残疾|轮椅|\bpregnant\b|\bbedridden\b|\bdisabled\b|\bwheelchair\b|\bsick\b/;

export interface UrgencyInput {
  text: string;
  category: Category;
  leakWord: boolean;
  temperature: TemperatureReading;
}

export interface Urgency {
  severity: Severity;
  scope: Scope;
  reasons: ReasonCode[];
}

const RANK: Record<Severity, number> = { normal: 0, urgent: 1, major: 2 };

/** Decides severity and network scope from the final category and the words in the text. */
export function assessUrgency({ text, category, leakWord, temperature }: UrgencyInput): Urgency {
  const reasons: ReasonCode[] = [];
  let severity: Severity = 'normal';
  const raise = (to: Severity, reason: ReasonCode): void => {
    reasons.push(reason);
    if (RANK[to] > RANK[severity]) severity = to;
  };

  const heatMissing = NO_HEAT.test(text);
  const wholeCommunity = heatMissing && WHOLE_COMMUNITY.test(text);
  const primaryWord = PRIMARY_NETWORK.test(text.replace(BUILDING_MAIN, ''));
  const scope: Scope = wholeCommunity || primaryWord ? 'primary' : 'secondary';
  if (primaryWord) reasons.push('primary_network_word');

  if (category === 'leak') {
    raise('urgent', leakWord ? 'leak_word' : 'leak_category');
    // Primary-network water is near 100 °C and under pressure: a burst main.
    if (scope === 'primary') raise('major', 'burst_main');
  }
  if (wholeCommunity) raise('major', 'whole_community');
  else if (heatMissing && WHOLE_BUILDING.test(text)) raise('urgent', 'whole_building');

  if (temperature.belowStandard) reasons.push('below_standard');
  // Who lives there and how cold it is matter for a cold or flooded home; an elderly
  // resident's billing question is not an emergency.
  if (category === 'no_heat' || category === 'leak') {
    if (ELDERLY.test(text)) raise('urgent', 'elderly');
    if (INFANT.test(text)) raise('urgent', 'infant');
    if (VULNERABLE.test(text)) raise('urgent', 'vulnerable_person');
    if (temperature.temperatureC !== undefined && temperature.temperatureC <= URGENT_ROOM_TEMPERATURE_C) {
      raise('urgent', 'low_temperature');
    }
  }
  return { severity, scope, reasons };
}
