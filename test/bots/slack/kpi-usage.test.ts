/** /kpi tells staff how to freeze a month (R29): its usage text and the manifest's hint name `close YYYY-MM`. */
import { afterEach, describe, expect, it } from 'vitest';
import { kpiBlocks } from '../../../src/bots/slack-kpi/kpi-blocks.js';
import { slackManifest } from '../../../src/bots/slack/manifest.js';
import { makeSlackHarness, type SlackHarness, toldTo, U } from '../../helpers/slack.js';

let h: SlackHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('/kpi usage names close YYYY-MM (R29)', () => {
  it('a period /kpi cannot read is answered with the usage, which names /kpi close YYYY-MM (R29)', async () => {
    const k = await makeSlackHarness({ kpiBlocks: (args) => kpiBlocks(k.core, args) });
    h = k;
    await h.slash(U.hqLeader, '/kpi', 'last year');
    const said = toldTo(h, U.hqLeader).at(-1) ?? '';
    expect(said).toContain('看不懂“last year”');
    expect(said).toContain('`/kpi 2026-11`（某月）');
    expect(said).toContain('`/kpi close YYYY-MM` 封存一个已结束的月份');
  });

  it("the manifest's /kpi usage hint mentions close YYYY-MM in both languages (R29)", () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const m = slackManifest({ socketMode: true, locale }) as any;
      expect(m.features.slash_commands.find((c: any) => c.command === '/kpi').usage_hint).toContain('close YYYY-MM');
    }
  });
});
