/**
 * A small keyword classifier for residents' messages: the stand-in the bot uses when no trained
 * classifier (src/core/classify) is given. Leak words win over everything and make a report
 * urgent (R8j); a room temperature under the 18 °C standard is read from "15度" / "15℃"; the
 * community and the flat are picked out so that a report can be routed. When no rule fires the
 * result says needsChoice, and the bot asks the resident to choose.
 */
import type { Category, Scope, Severity, TicketKind } from '../domain.js';

export interface KeywordClassification {
  kind: TicketKind;
  category: Category;
  severity: Severity;
  scope: Scope;
  confidence: { category: number; kind: number };
  needsChoice: boolean;
  hints: { account?: string; communityId?: string; building?: string; unit?: string; room?: string; phone?: string; temperatureC?: number };
  reasons: string[];
}

export interface CommunityNames {
  id: string;
  name: string;
  aliases: readonly string[];
}

export const LEAK_WORDS = ['跑水', '漏水', '爆管', '水淹', '淹了', '喷水', '渗水', '滴水', '冒水'];
const LEAK_EN = /\b(leak(s|ing|ed)?|burst|flood(ed|ing)?|water everywhere)\b/i;
const NEGATION = /(没有|没|不是|无)$/;

const CATEGORY_WORDS: ReadonlyArray<[Category, RegExp]> = [
  ['no_heat', /不热|不暖|不太热|冰凉|温度低|室温|太冷|很冷|好冷|冻|凉|\bcold\b|no heat|not warm|freezing|heating (is )?(off|down)/i],
  ['billing', /热费|收费|缴费|交费|账单|发票|退费|面积|\bbill|\bfee|\bcharge|\binvoice|\bpay/i],
  ['staff_conduct', /态度|服务差|骂|推诿|吃拿卡要|索要|好处费|师傅.*(不|没)|\brude\b|attitude|bribe/i],
  ['noise_pressure', /噪音|响声|异响|咚咚|嗡嗡|压力|水锤|\bnois|\bbang|pressure/i],
];

const QUESTION = /请问|吗[？?]?$|什么时候|怎么|如何|多少|是否|能不能|可以.*吗|[？?]$|^(when|how|what|why|is|are|can|do|does)\b/i;
const SUGGESTION = /建议|希望|意见|提议|最好能|\bsuggest|\bwould be (nice|better)|\bplease consider/i;
const PAID = /有偿|换暖气片|更换|加装|改管|移位|安装|\breplace|\binstall|\bmove the radiator/i;
const PRIMARY = /整栋|整个小区|全小区|全楼|一整栋|主管|一次网|whole (building|community)|main pipe/i;
const VULNERABLE = /老人|孩子|婴儿|病人|瘫痪|elderly|baby|infant/i;

const TEMPERATURE = /(-?\d{1,2}(?:\.\d)?)\s*(?:度|℃|°c|°|c\b|degrees?)/i;
const PHONE = /(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d[- ]?\d{4}[- ]?\d{4})(?!\d)/;
const ACCOUNT = /(?<!\d)(\d{8,12})(?!\d)/;
const FLAT = /(\d{1,3})\s*(?:号楼|栋|幢|号|-)\s*(\d{1,2})\s*(?:单元|-)\s*(\d{3,4})/;

function hasLeak(text: string): boolean {
  for (const w of LEAK_WORDS) {
    let at = text.indexOf(w);
    while (at !== -1) {
      if (!NEGATION.test(text.slice(Math.max(0, at - 3), at))) return true;
      at = text.indexOf(w, at + w.length);
    }
  }
  return LEAK_EN.test(text) && !/\bno (leak|water)/i.test(text);
}

function findCommunity(text: string, communities: readonly CommunityNames[]): string | undefined {
  let best: { id: string; length: number } | undefined;
  for (const c of communities) {
    for (const n of [c.name, ...c.aliases]) {
      if (n && text.includes(n) && (!best || n.length > best.length)) best = { id: c.id, length: n.length };
    }
  }
  return best?.id;
}

/** Keyword rules, no training: deterministic and instant. */
export function createKeywordClassifier() {
  return {
    classify(raw: string, ctx: { communities?: readonly CommunityNames[] } = {}): KeywordClassification {
      const text = (raw ?? '').normalize('NFKC').trim();
      const reasons: string[] = [];
      const hints: KeywordClassification['hints'] = {};
      const phone = PHONE.exec(text);
      if (phone) hints.phone = phone[1].replace(/\D/g, '');
      const account = ACCOUNT.exec(text.replace(PHONE, ' '));
      if (account) hints.account = account[1];
      const communityId = findCommunity(text, ctx.communities ?? []);
      if (communityId) hints.communityId = communityId;
      const flat = FLAT.exec(text);
      if (flat) [hints.building, hints.unit, hints.room] = [flat[1], flat[2], flat[3]];
      const temp = TEMPERATURE.exec(text);
      if (temp) hints.temperatureC = Number(temp[1]);

      const scope: Scope = PRIMARY.test(text) ? 'primary' : 'secondary';
      if (scope === 'primary') reasons.push('whole_building');

      if (hasLeak(text)) {
        reasons.push('leak_word');
        return {
          kind: 'complaint',
          category: 'leak',
          severity: 'urgent',
          scope,
          confidence: { category: 0.95, kind: 0.9 },
          needsChoice: false,
          hints,
          reasons,
        };
      }
      let kind: TicketKind = 'complaint';
      if (SUGGESTION.test(text)) kind = 'suggestion';
      else if (PAID.test(text)) kind = 'paid_service';
      else if (QUESTION.test(text)) kind = 'consultation';
      let category: Category = 'other';
      for (const [c, re] of CATEGORY_WORDS) {
        if (re.test(text)) {
          category = c;
          break;
        }
      }
      if (category === 'other' && hints.temperatureC !== undefined && hints.temperatureC < 18) category = 'no_heat';
      let severity: Severity = 'normal';
      if (hints.temperatureC !== undefined && hints.temperatureC < 18) {
        reasons.push('below_standard');
        if (hints.temperatureC < 12 || VULNERABLE.test(text)) {
          severity = 'urgent';
          reasons.push(VULNERABLE.test(text) ? 'vulnerable_person' : 'low_temperature');
        }
      }
      const knownCategory = category !== 'other';
      const confident = kind === 'complaint' ? knownCategory : true;
      if (!confident) reasons.push('low_confidence');
      return {
        kind,
        category,
        severity,
        scope,
        confidence: { category: knownCategory ? 0.8 : 0.3, kind: kind === 'complaint' && !knownCategory ? 0.4 : 0.8 },
        needsChoice: !confident,
        hints,
        reasons,
      };
    },
  };
}
