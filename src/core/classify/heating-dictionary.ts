// Words jieba's general dictionary splits apart or does not know, but which carry the
// meaning of a heating complaint. Keeping them whole lets one token (跑水, 不热) stand for
// one idea, and lets negation attach to the whole word (不是/跑水).
const HEATING_WORDS = [
  // equipment and network
  '暖气', '暖气片', '暖气管', '暖气管道', '换热站', '热力站', '热力公司', '一次网', '二次网', '一次管网', '二次管网',
  '主管道', '立管', '支管', '回水管', '进水管', '地暖', '地暖管', '分水器', '阀门', '放气阀', '排气阀', '温控阀',
  '热量表', '热计量', '循环泵', '管沟', '热力井', '压力表',
  // faults
  '跑水', '漏水', '渗水', '滴水', '喷水', '冒水', '爆管', '水淹', '淹了', '冒热气', '跑冒滴漏', '冻裂',
  '不热', '不咋热', '不太热', '不够热', '冰凉', '拔凉', '嘎嘎凉', '贼冷', '冻死', '温乎乎', '温吞吞', '停暖', '停热', '不达标',
  '响声', '异响', '噪音', '水流声', '咚咚响', '嗡嗡响', '砰砰响', '滋滋响', '咕噜咕噜', '放气',
  // billing and service
  '户号', '账号', '热费', '暖气费', '供暖费', '收费员', '缴费', '交费', '退费', '报停', '滞纳金', '空置费', '发票',
  '开栓', '打压', '试水', '供暖期', '维修工', '维修师傅', '工作证', '工牌', '热线', '客服', '营业厅',
] as const;

/** The user dictionary in jieba's text format: one `word frequency` per line. */
export function heatingDictionary(): Uint8Array {
  // A frequency above any general-dictionary entry makes jieba prefer these words.
  return new TextEncoder().encode(HEATING_WORDS.map((w) => `${w} 2000000`).join('\n') + '\n');
}
