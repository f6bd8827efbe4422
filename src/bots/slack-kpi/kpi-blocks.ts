/**
 * The answer to `/kpi [month|week|season|day|YYYY-MM]` in Slack: the company's and each
 * branch's assessment rates (the regulation's section 8) as Block Kit. Slack text has no colour, so a missed target is
 * marked with a red circle and the word 未达标 / missed; a rate over nothing reads "no data".
 */
import type { Core } from '../../core/context.js';
import { isAppError } from '../../core/errors.js';
import type { KpiReport, KpiRow } from '../../core/kpi/compute-kpis.js';
import { readKpis } from '../../core/kpi/read-kpis.js';
import { adjustmentsBlocks, frozenContext } from './frozen-blocks.js';
import { describePeriod, resolvePeriod, type PeriodQuery } from '../../core/kpi/period.js';
import { percentFloor, RATE_NAMES, TARGETS, type Rate } from '../../core/kpi/rate.js';
import { formatMinute } from '../../core/local-time.js';
import { t, waitText, type Locale } from '../../i18n/index.js';

export type SlackBlock = Record<string, unknown>;

export interface KpiCommand {
  /** what followed /kpi */
  text: string;
  locale?: Locale;
}

const WORDS: Record<string, PeriodQuery['period']> = {
  '': 'month',
  month: 'month',
  本月: 'month',
  月: 'month',
  week: 'week',
  本周: 'week',
  周: 'week',
  season: 'season',
  采暖季: 'season',
  day: 'day',
  today: 'day',
  今天: 'day',
};

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });

function rateField(locale: Locale, name: (typeof RATE_NAMES)[number], r: Rate): SlackBlock {
  const title = `*${t(locale, `kpi.rate.${name}`)}*`;
  if (r.rate === null) return mrkdwn(`${title}\n${t(locale, 'kpi.slack.no_data')}`);
  const value = `${percentFloor(r.rate)}% (${r.numerator}/${r.denominator})`;
  const verdict = r.met ? t(locale, 'kpi.slack.met') : `${t(locale, 'kpi.slack.missed')} ${t(locale, 'kpi.target', { target: `${TARGETS[name]}%` })}`;
  const pending = r.pending ? t(locale, 'kpi.slack.pending', { count: r.pending }) : '';
  return mrkdwn(`${title}\n${value} ${verdict}${pending}`);
}

function rowSection(locale: Locale, title: string, row: KpiRow): SlackBlock {
  return {
    type: 'section',
    text: mrkdwn(`*${title}*`),
    fields: [
      ...RATE_NAMES.map((n) => rateField(locale, n, row[n])),
      mrkdwn(t(locale, 'kpi.slack.counts', { reopened: row.reopened, conduct: row.conductConfirmed, wait: waitText(locale, row.customerWaitMinutes) })),
      // R30: passing the buck and results that did not hold
      mrkdwn(t(locale, 'kpi.integrity.counts', { transfers: row.transfersOut, repeats: row.repeats })),
    ],
  };
}

export async function kpiBlocks(core: Core, cmd: KpiCommand): Promise<SlackBlock[]> {
  const locale = cmd.locale ?? 'zh-CN';
  const text = cmd.text.trim();
  const word = WORDS[text.toLowerCase()];
  const query: PeriodQuery | undefined = word ? { period: word } : /^\d{4}-\d{2}$/.test(text) ? { period: text } : undefined;
  const usage = (): SlackBlock[] => [
    { type: 'section', text: mrkdwn(`${t(locale, 'kpi.slack.not_understood', { text: text.slice(0, 50) })}\n${t(locale, 'kpi.slack.usage')}`) },
  ];
  if (!query) return usage();
  let period: ReturnType<typeof resolvePeriod>;
  try {
    period = resolvePeriod(query, core.clock.now(), core.org.config.company.heatingSeason);
  } catch (e) {
    if (isAppError(e)) return usage();
    throw e;
  }
  // a closed month is its frozen snapshot, with the adjustments since beside it (read-kpis.ts)
  const reading = await readKpis(core, period);
  const report = reading.report;
  const name = (id: string | null) => {
    const b = id ? core.org.branches.get(id) : undefined;
    return b ? (locale === 'en' ? (b.nameEn ?? b.name) : b.name) : (id ?? t(locale, 'kpi.centre'));
  };
  const label = t(locale, `kpi.period.${period.kind}`, describePeriod(period));
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: t(locale, 'kpi.slack.header', { period: label }).slice(0, 150), emoji: true } },
    { type: 'context', elements: [mrkdwn(t(locale, 'kpi.slack.context', { first: period.firstDay, last: period.lastDay, asOf: formatMinute(report.asOf) }))] },
    ...frozenContext(core, locale, reading),
    rowSection(locale, t(locale, 'kpi.company'), report.company),
  ];
  const rows = [...report.branches, ...(report.centre ? [report.centre] : [])];
  for (const row of rows) blocks.push({ type: 'divider' }, rowSection(locale, name(row.branchId), row));
  blocks.push({ type: 'divider' }, unreachableSection(locale, report.unreachable, name));
  blocks.push({ type: 'divider' }, withdrawnSection(core, locale, report.withdrawn));
  blocks.push(...adjustmentsBlocks(core, locale, reading));
  return blocks;
}

/** R28, R30: the customers no callback reached, for the leaders to call themselves. */
function unreachableSection(locale: Locale, u: KpiReport['unreachable'], name: (id: string | null) => string): SlackBlock {
  const U = (k: string, v: Record<string, string | number | null> = {}) => t(locale, `kpi.integrity.unreachable.${k}`, v);
  const lines = u.items
    .slice(0, WITHDRAWN_LINES)
    .map((x) => U('line', { number: x.number, branch: name(x.branchId), name: escMd(x.contactName ?? '—'), attempts: x.attempts, at: formatMinute(x.at) }));
  if (!lines.length) lines.push(U('none'));
  else if (u.total > lines.length) lines.push(U('more', { count: u.total - lines.length }));
  return { type: 'section', text: mrkdwn(`${U('heading', { total: u.total })}\n${lines.join('\n')}`.slice(0, 3000)) };
}

/** The longest R30 list in a Slack answer; the dashboard and the API have the rest. */
const WITHDRAWN_LINES = 15;

/** Staff's own words (a reason) in mrkdwn: no mention or link can be made of them. */
const escMd = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** R30: who cancelled, marked as a duplicate or linked which ticket of the period, and why. */
function withdrawnSection(core: Core, locale: Locale, w: KpiReport['withdrawn']): SlackBlock {
  const W = (k: string, v: Record<string, string | number | null> = {}) => t(locale, `kpi.withdrawn.${k}`, v);
  const who = (actor: string) => (actor.startsWith('staff:') ? (core.org.staff.get(actor.slice(6))?.name ?? actor.slice(6)) : actor);
  const lines = w.items.slice(0, WITHDRAWN_LINES).map((x) => {
    const target = x.original ? W('target.duplicate', { original: x.original }) : x.incident ? W('target.linked', { incident: x.incident }) : '';
    return W('line', {
      at: formatMinute(x.at),
      number: x.number,
      type: W(`type.${x.type}`),
      target: target ? W('line_target', { target }) : '',
      who: who(x.onBehalfOf ?? x.actor),
      reason: escMd(x.reason ?? W('no_reason')),
    });
  });
  if (!lines.length) lines.push(W('none'));
  else if (w.total > lines.length) lines.push(W('more', { n: w.total - lines.length, total: w.total }));
  return { type: 'section', text: mrkdwn(`*${W('title')}* · ${W('count', { total: w.total })}\n${lines.join('\n')}`.slice(0, 3000)) };
}

/** A one-line summary for notifications and screen readers (Slack's `text` beside the blocks). */
export function kpiFallbackText(locale: Locale, blocks: SlackBlock[]): string {
  const header = blocks[0] as { text?: { text?: string } };
  return header.text?.text ?? t(locale, 'kpi.title');
}
