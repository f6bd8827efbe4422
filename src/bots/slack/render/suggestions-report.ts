/**
 * The leaders' monthly summary of suggestions (R18, R19; core/reports/suggestions-report.ts):
 * the totals, the month's suggestions per branch and topic with how many were answered, and the
 * ones still unanswered by number. Words are in locales/<lang>/slack.suggestions.json.
 */
import type { SuggestionsReportPayload } from '../../../core/reports/suggestions-report.js';
import { clipMarkup, context, esc, header, section, type Block } from './blocks.js';
import { branchName, common, tr, type RenderCtx } from './names.js';

/** Lines per section: a section holds 3,000 characters. */
const LINES_PER_SECTION = 25;

function sections(lines: string[]): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_SECTION) out.push(section(clipMarkup(lines.slice(i, i + LINES_PER_SECTION).join('\n'), 2900)));
  return out;
}

export function suggestionsReportMessage(ctx: RenderCtx, p: SuggestionsReportPayload): { text: string; blocks: Block[] } {
  const title = tr(ctx, 'suggestions.report.title', { month: p.month });
  const blocks: Block[] = [header(title)];
  if (!p.count) {
    blocks.push(section(tr(ctx, 'suggestions.report.none')));
    return { text: title, blocks };
  }
  blocks.push(section(tr(ctx, 'suggestions.report.totals', { count: p.count, answered: p.answered, open: p.count - p.answered })));
  blocks.push(
    ...sections(
      p.groups.map((g) =>
        tr(ctx, 'suggestions.report.group', {
          branch: branchName(ctx, g.branchId),
          topic: g.topic ? esc(g.topic) : tr(ctx, 'suggestions.report.no_topic', { category: common(ctx, `category.${g.category}`) }),
          count: g.count,
          answered: g.answered,
        }),
      ),
    ),
  );
  if (p.unanswered.length) {
    const lines = p.unanswered.map((u) =>
      tr(ctx, 'suggestions.report.item', { number: u.number, branch: branchName(ctx, u.branchId), text: esc(u.description) }),
    );
    blocks.push(section(clipMarkup(`${tr(ctx, 'suggestions.report.unanswered')}\n${lines.join('\n')}`, 2900)));
    if (p.more) blocks.push(context([tr(ctx, 'suggestions.report.more', { n: p.more })]));
  }
  return { text: title, blocks };
}
