/** The dashboard's main page: the period form, the per-branch table and the season's trend charts. */
import type { KpiReport, KpiRow } from '../../core/kpi/compute-kpis.js';
import type { TrendPoint } from '../../core/kpi/kpi-trend.js';
import { PERIOD_KINDS, type Period } from '../../core/kpi/period.js';
import { percentFloor, RATE_NAMES, TARGETS, type RateName } from '../../core/kpi/rate.js';
import { formatMinute } from '../../core/local-time.js';
import type { Org } from '../../core/org/org.js';
import { t, waitText, type Locale } from '../../i18n/index.js';
import { branchName, percentText, periodLabel } from './format.js';
import { href, html, jsonScript, type Markup } from './html.js';
import { actorName } from './ticket-pages.js';
import type { KpiReading } from '../../core/kpi/read-kpis.js';
import { adjustmentsSection, frozenNote } from './kpi-closed-section.js';

export interface KpiPageInput {
  org: Org;
  locale: Locale;
  /** what the form shows: the query as the person typed it */
  query: { period?: string; from?: string; to?: string; branch?: string };
  period: Period;
  report: KpiReport;
  trend: TrendPoint[];
  error?: string;
  /** the branches the selector offers: those the person sees */
  branches: string[];
  /** whether the person may choose every branch at once */
  allBranches: boolean;
  /** a closed month's frozen state and adjustments, or the closed months a live range overlaps */
  reading?: KpiReading;
}

function rateCell(locale: Locale, name: RateName, row: KpiRow): Markup {
  const r = row[name];
  const state = r.met === null ? 'none' : r.met ? 'met' : 'missed';
  const flag =
    r.met === false
      ? html`<span class="flag" title="${t(locale, 'kpi.dashboard.missed_title', { target: `${TARGETS[name]}%` })}">${t(locale, 'kpi.met.no')}</span>`
      : '';
  const pending = r.pending ? html`<span class="pending">${t(locale, 'kpi.pending', { count: r.pending })}</span>` : '';
  return html`<td class="rate ${state}" data-rate="${name}"><span class="pct">${percentText(r.rate)}</span><span class="nd">${r.numerator}/${r.denominator}</span>${flag}${pending}</td>`;
}

function tableRow(input: KpiPageInput, row: KpiRow, title: string, cls = ''): Markup {
  return html`<tr class="${cls}" data-branch="${row.branchId ?? (cls === 'company' ? 'company' : 'centre')}">
    <th scope="row">${title}</th>
    ${RATE_NAMES.map((n) => rateCell(input.locale, n, row))}
    <td class="count" data-count="reopened">${row.reopened}</td>
    <td class="count" data-count="conductConfirmed">${row.conductConfirmed}</td>
    <td class="count" data-count="transfersOut">${row.transfersOut}</td>
    <td class="count" data-count="repeats">${row.repeats}</td>
    <td class="count" data-count="customerWaitMinutes">${waitText(input.locale, row.customerWaitMinutes)}</td>
  </tr>`;
}

/** The numbers the charts draw: per cent (rounded down) per month, one line per branch and one for the company. */
export function trendData(org: Org, locale: Locale, trend: TrendPoint[]) {
  const ids = [...new Set(trend.flatMap((p) => p.report.branches.map((b) => b.branchId as string)))];
  const rateOf = (p: TrendPoint, id: string | null, name: RateName) =>
    percentFloor((id === null ? p.report.company : p.report.branches.find((b) => b.branchId === id))?.[name].rate ?? null);
  return {
    labels: trend.map((p) => periodLabel(locale, p.period)),
    targetLabel: t(locale, 'kpi.dashboard.trend_target'),
    charts: RATE_NAMES.map((name) => ({
      key: name,
      title: t(locale, `kpi.rate.${name}`),
      target: TARGETS[name],
      series: [
        ...ids.map((id) => ({ label: branchName(org, id, locale), company: false, data: trend.map((p) => rateOf(p, id, name)) })),
        { label: t(locale, 'kpi.company'), company: true, data: trend.map((p) => rateOf(p, null, name)) },
      ],
    })),
  };
}

export function kpiPage(input: KpiPageInput): Markup {
  const { org, locale, report, period, query } = input;
  const L = (k: string, v = {}) => t(locale, `kpi.dashboard.${k}`, v);
  const kind =
    query.period && (PERIOD_KINDS as readonly string[]).includes(query.period)
      ? query.period
      : /^\d{4}-\d{2}$/.test(query.period ?? '')
        ? 'month'
        : period.kind;
  const csv = href('/dashboard/kpi.csv', locale, {
    period: period.kind === 'custom' ? 'custom' : kind,
    from: period.kind === 'custom' ? query.from : period.firstDay,
    to: period.kind === 'custom' ? query.to : undefined,
    branch: query.branch,
  });
  return html`
<form class="filters" method="get" action="/dashboard">
  <label>${L('period')}
    <select name="period">${(['month', 'week', 'day', 'season', 'custom'] as const).map(
      (k) => html`<option value="${k}" ${k === kind ? html`selected` : ''}>${L(`period_${k}`)}</option>`,
    )}</select>
  </label>
  <label>${L('from')} <input type="date" name="from" value="${query.from ?? period.firstDay}"></label>
  <label>${L('to')} <input type="date" name="to" value="${query.to ?? ''}"></label>
  <label>${L('branch')}
    <select name="branch">${input.allBranches ? html`<option value="">${L('branch_all')}</option>` : ''}${input.branches.map(
      (id) => html`<option value="${id}" ${id === query.branch ? html`selected` : ''}>${branchName(org, id, locale)}</option>`,
    )}</select>
  </label>
  ${locale !== 'zh-CN' ? html`<input type="hidden" name="lang" value="${locale}">` : ''}
  <button type="submit">${L('apply')}</button>
</form>
${input.error ? html`<p class="error" role="alert">${input.error}</p>` : ''}
<section>
  <h1 id="period-label">${t(locale, 'kpi.title')} · ${periodLabel(locale, period)}</h1>
  <p class="muted">${period.firstDay} – ${period.lastDay} · ${t(locale, 'kpi.as_of', { time: formatMinute(report.asOf) })} · <a href="${csv}" id="csv-link">${L('download_csv')}</a></p>
  ${frozenNote(org, locale, input.reading)}
  <h2>${L('table_title')}</h2>
  <div class="table-wrap">
  <table class="kpi" id="kpi-table">
    <thead><tr>
      <th>${t(locale, 'kpi.csv.branch')}</th>
      ${RATE_NAMES.map((n) => html`<th>${t(locale, `kpi.rate.${n}`)}<small>${t(locale, 'kpi.target', { target: `${TARGETS[n]}%` })}</small></th>`)}
      <th>${t(locale, 'kpi.count.reopened')}</th>
      <th>${t(locale, 'kpi.count.conductConfirmed')}</th>
      <th>${t(locale, 'kpi.integrity.transfersOut')}</th>
      <th>${t(locale, 'kpi.integrity.repeats')}</th>
      <th>${t(locale, 'kpi.count.customerWait')}</th>
    </tr></thead>
    <tbody>
      ${report.branches.map((b) => tableRow(input, b, branchName(org, b.branchId, locale)))}
      ${report.centre ? tableRow(input, report.centre, branchName(org, null, locale), 'centre') : ''}
      ${tableRow(input, report.company, t(locale, 'kpi.company'), 'company')}
    </tbody>
  </table>
  </div>
</section>
${withdrawnSection(input)}
${adjustmentsSection(org, locale, input.reading)}
<section>
  <h2>${L('trend_title')}</h2>
  <div class="charts">${RATE_NAMES.map((n) => html`<figure class="chart"><canvas id="chart-${n}" aria-label="${t(locale, `kpi.rate.${n}`)}" role="img"></canvas></figure>`)}</div>
  ${jsonScript('trend-data', trendData(org, locale, input.trend))}
</section>`;
}

/** R30: the period's tickets someone cancelled, marked as a duplicate or linked by hand, with the reason and who did it. */
function withdrawnSection({ org, locale, report }: KpiPageInput): Markup {
  const W = (k: string, v: Record<string, string | number> = {}) => t(locale, `kpi.withdrawn.${k}`, v);
  const w = report.withdrawn;
  const target = (x: (typeof w.items)[number]) =>
    x.original ? W('target.duplicate', { original: x.original }) : x.incident ? W('target.linked', { incident: x.incident }) : '—';
  const rows = w.items.map(
    (x) => html`<tr data-type="${x.type}">
      <td>${formatMinute(x.at)}</td>
      <td><a href="${href(`/dashboard/tickets/${x.number}`, locale)}">${x.number}</a></td>
      <td>${branchName(org, x.branchId, locale)}</td>
      <td>${W(`type.${x.type}`)}</td>
      <td>${target(x)}</td>
      <td>${actorName(org, locale, x.actor, x.onBehalfOf ?? undefined)}</td>
      <td class="reason">${x.reason ?? W('no_reason')}</td>
    </tr>`,
  );
  return html`<section id="withdrawn">
  <h2>${W('title')}</h2>
  <p class="muted">${W('intro')} ${W('count', { total: w.total })}</p>
  ${
    w.items.length
      ? html`<div class="table-wrap"><table class="withdrawn">
    <thead><tr>${(['at', 'number', 'branch', 'type', 'target', 'who', 'reason'] as const).map((k) => html`<th>${W(`col.${k}`)}</th>`)}</tr></thead>
    <tbody>${rows}</tbody>
  </table></div>${w.total > w.items.length ? html`<p class="muted">${W('more', { n: w.total - w.items.length, total: w.total })}</p>` : ''}`
      : html`<p>${W('none')}</p>`
  }
</section>`;
}
