// What a price question is about, in the words residents use and the words of the price list.
// A line of the list matches a question when both name the same thing; the work terms (flushing)
// match only when asked for, so "换个暖气片多少钱" shows the radiators and their fitting, not the
// flushing of one.
interface PriceTerm {
  name: string;
  words: readonly string[];
  work?: true;
}

const TERMS: readonly PriceTerm[] = [
  { name: 'radiator', words: ['暖气片', '散热器', '暖气组', '片暖气', '换暖气', '装暖气', 'radiator'] },
  { name: 'valve', words: ['阀', 'valve'] },
  { name: 'vent', words: ['排气', '放气', 'air vent', 'vent', 'bleed'] },
  { name: 'pipe', words: ['管子', '管道', '水管', '钢管', 'ppr', '镀锌', 'pipe'] },
  { name: 'elbow', words: ['弯头', 'elbow'] },
  { name: 'labour', words: ['人工', '工时', '工钱', '手工费', 'labour', 'labor'] },
  { name: 'flush', words: ['清洗', '冲洗', '洗暖气', '洗一下', '洗洗', 'flush', 'clean'], work: true },
];

const PRICE_QUESTION = /多少钱|几个钱|啥价|什么价|价格|价钱|价位|报价|收费|要钱吗|收钱吗|费用|怎么算钱|多钱|how much|price|cost|charge|fee/i;

/** A line of a price list as the matcher needs it. */
export interface PricedThing {
  id: string;
  name: string;
  nameEn?: string;
}

function termsIn(text: string): PriceTerm[] {
  const t = text.toLowerCase();
  return TERMS.filter((term) => term.words.some((w) => t.includes(w)));
}

/** Whether a message asks what something costs. */
export function asksPrice(text: string): boolean {
  return PRICE_QUESTION.test(text);
}

/**
 * The ids of the price-list lines a question is about, in list order; empty when it names
 * nothing on the list (the caller then shows the whole list).
 */
export function matchPriceItems(question: string, items: readonly PricedThing[]): string[] {
  const asked = termsIn(question);
  if (!asked.length) return [];
  // "清洗暖气片多少钱" asks for the flushing, not for new radiators.
  const work = asked.filter((t) => t.work);
  return items
    .filter((item) => {
      const own = termsIn(`${item.name} ${item.nameEn ?? ''}`);
      if (work.length) return own.some((t) => work.includes(t));
      return own.some((t) => asked.includes(t)) && own.every((t) => !t.work);
    })
    .map((item) => item.id);
}
