import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiBlocks, kpiFallbackText } from '../../../src/bots/slack-kpi/kpi-blocks.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';
import { buildNovember } from '../../core/kpi/november-fixture.js';

let core: TestCore;
beforeAll(async () => {
  core = await makeTestCore();
  await buildNovember(core);
});
afterAll(async () => core?.close());

/** What a person reads in a section: its title and its fields, as text. */
const read = (block: any) => [block.text?.text, ...(block.fields ?? []).map((f: any) => f.text)].join('\n');

describe('/kpi in Slack', () => {
  it('answers /kpi 2026-11 with a header, the period and the company first, then every branch and the centre', async () => {
    const blocks: any[] = await kpiBlocks(core, { text: ' 2026-11 ' });
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '考核指标 · 2026年11月', emoji: true } });
    expect(blocks[1].elements[0].text).toBe('统计区间 2026-11-01 至 2026-11-30 · 截至 2026-12-01 00:00');
    const sections = blocks.filter((b) => b.type === 'section' && b.fields);
    // then R30: the period's cancellations and duplicates with who and why
    expect(blocks.at(-1).text.text).toMatch(/^\*撤销、重复与手动关联（R30）\* · 共 2 条\n/);
    expect(sections.map((s) => s.text.text)).toEqual([
      '*全公司*',
      '*新城供热分公司*',
      '*回民供热分公司*',
      '*玉泉供热分公司*',
      '*赛罕供热分公司*',
      '*金桥供热分公司*',
      '*客户服务中心（未分派及督办投诉）*',
    ]);
    // five rates, the counts, and R30's transfers out and repeat complaints
    expect(sections.every((s) => s.fields.length === 7)).toBe(true);
    expect(sections[1].fields[5].text).toBe('*重复投诉* 2 件 · *服务态度投诉（已核实）* 1 件 · *平均等待* 14 小时 40 分');
    expect(sections[2].fields[6].text).toBe('转出 1 次 · 同类复诉 0 件'); // 回民 passed H to 新城
    // before R30's list: the customers no callback reached (R28), E after three spaced attempts
    expect(blocks.at(-3).text.text).toMatch(
      /^\*回访未联系上的客户（R28）\* · 共 1 位\nT\d{8}-\d{4} · 新城供热分公司 · — · 联系 3 次，最后一次 2026-11-14 14:00$/,
    );
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(kpiFallbackText('zh-CN', blocks)).toBe('考核指标 · 2026年11月');
  });

  it('marks a missed target with a red circle and 未达标, a met one in green, and no data as such', async () => {
    const sections = (await kpiBlocks(core, { text: '2026-11' })).filter((b: any) => b.type === 'section');
    const xincheng = read(sections[1]);
    expect(xincheng).toContain('*报修及时率*\n55.5% (5/9) :red_circle: *未达标* 目标 100%（1 件未到期）');
    expect(xincheng).toContain('*客户满意率*\n80% (4/5) :red_circle: *未达标* 目标 99%');
    expect(xincheng).toContain('*投诉办结率*\n60% (6/10) :red_circle: *未达标* 目标 100%');
    expect(xincheng).toContain('*重复投诉* 2 件 · *服务态度投诉（已核实）* 1 件');
    const huimin = read(sections[2]);
    expect(huimin).toContain('*报修及时率*\n100% (1/1) :large_green_circle: 达标');
    expect(huimin).not.toContain(':red_circle:');
    expect(read(sections[3])).toContain('*报修及时率*\n— 无数据');
  });

  it('reads month, week and season words and falls back to usage for anything else', async () => {
    const header = async (text: string) => ((await kpiBlocks(core, { text }))[0] as any).text.text;
    expect(await header('')).toBe('考核指标 · 2026年12月');
    expect(await header('month')).toBe('考核指标 · 2026年12月');
    expect(await header('week')).toBe('考核指标 · 2026-11-30 至 2026-12-06');
    expect(await header('采暖季')).toBe('考核指标 · 2026—2027年采暖季');
    for (const bad of ['last year', '2026-13']) {
      const blocks: any[] = await kpiBlocks(core, { text: bad });
      expect(blocks).toHaveLength(1);
      expect(blocks[0].text.text).toContain(`看不懂“${bad}”`);
      expect(blocks[0].text.text).toContain('/kpi 2026-11');
    }
  });

  it('speaks English when asked, with the word missed beside the red circle', async () => {
    const blocks: any[] = await kpiBlocks(core, { text: '2026-11', locale: 'en' });
    expect(blocks[0].text.text).toBe('KPIs · 2026-11');
    expect(read(blocks[4])).toContain('*Repair timeliness*\n55.5% (5/9) :red_circle: *missed* target 100% (1 not yet due)');
  });
});
