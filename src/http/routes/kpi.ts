/**
 * The assessment over HTTP (八, R18/R19): GET /api/kpi and /api/kpi.csv, GET /api/kpi/unreachable
 * and /api/kpi/unreachable.csv (R28, R30), GET /api/suggestions and /api/suggestions.csv, for API clients with the read scope (app.ts). Query: period
 * (day|week|month|season|custom|YYYY-MM), from, to (YYYY-MM-DD or an ISO date-time with a zone;
 * to is exclusive), branch, lang (CSV words: zh-CN or en).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Core } from '../../core/context.js';
import type { KpiReport, KpiRow } from '../../core/kpi/compute-kpis.js';
import { readKpis } from '../../core/kpi/read-kpis.js';
import { closedCsvLines, closedJson } from './kpi-closed-json.js';
import { resolvePeriod, type Period, type PeriodQuery } from '../../core/kpi/period.js';
import { percentFloor, RATE_NAMES, TARGETS, type Rate } from '../../core/kpi/rate.js';
import { summarizeSuggestions, type SuggestionSummary } from '../../core/kpi/summarize-suggestions.js';
import { listUnreachable } from '../../core/kpi/list-unreachable.js';
import type { UnreachableRow } from '../../core/ports/kpi-reads.js';
import { formatMinute } from '../../core/local-time.js';
import type { Org } from '../../core/org/org.js';
import { asLocale, t, type Locale } from '../../i18n/index.js';
import { attachment, branchName, csvBytes, percentText, periodLabel } from '../dashboard/format.js';
import { actorName } from '../dashboard/ticket-pages.js';

export interface KpiRoutesOptions {
  core: Core;
}

export interface KpiQuerystring extends PeriodQuery {
  branch?: string;
  lang?: string;
}

const querystring = {
  type: 'object',
  additionalProperties: false,
  properties: {
    period: { type: 'string', maxLength: 10, description: 'day | week | month | season | custom | YYYY-MM (default: this month)' },
    from: { type: 'string', maxLength: 40, description: 'YYYY-MM-DD (local midnight) or ISO date-time with a zone' },
    to: { type: 'string', maxLength: 40, description: 'exclusive; only with a custom period' },
    branch: { type: 'string', maxLength: 64 },
    lang: { enum: ['zh-CN', 'en'] },
  },
} as const;

/** The period a request asks for (codes invalid_date / invalid_period on bad input). */
export function periodOf(core: Core, q: PeriodQuery): Period {
  return resolvePeriod(q, core.clock.now(), core.org.config.company.heatingSeason);
}

function rateJson(r: Rate) {
  return { ...r, percent: percentFloor(r.rate) };
}

function rowJson(org: Org, row: KpiRow, locale: Locale, name?: string) {
  return {
    branchId: row.branchId,
    branchName: name ?? branchName(org, row.branchId, locale),
    ...Object.fromEntries(RATE_NAMES.map((n) => [n, rateJson(row[n])])),
    reopened: row.reopened,
    conductConfirmed: row.conductConfirmed,
    transfersOut: row.transfersOut,
    repeats: row.repeats,
    customerWaitMinutes: row.customerWaitMinutes,
  };
}

export function kpiJson(org: Org, period: Period, report: KpiReport, locale: Locale = 'zh-CN') {
  return {
    period: { ...period, label: periodLabel(locale, period) },
    asOf: report.asOf,
    targets: Object.fromEntries(RATE_NAMES.map((n) => [n, TARGETS[n] / 100])),
    branches: report.branches.map((b) => rowJson(org, b, locale)),
    centre: report.centre && rowJson(org, report.centre, locale),
    company: rowJson(org, report.company, locale, t(locale, 'kpi.company')),
    // R30: who withdrew which ticket of the period, and why
    withdrawn: {
      total: report.withdrawn.total,
      items: report.withdrawn.items.map((w) => ({
        ...w,
        branchName: branchName(org, w.branchId, locale),
        actorName: actorName(org, locale, w.actor, w.onBehalfOf ?? undefined),
      })),
    },
    // R28, R30: the customers no callback reached
    unreachable: unreachableJson(org, report.unreachable, locale),
  };
}

function unreachableJson(org: Org, list: { total: number; items: UnreachableRow[] }, locale: Locale) {
  return { total: list.total, items: list.items.map((u) => ({ ...u, branchName: branchName(org, u.branchId, locale) })) };
}

/** R28, R30: one line per customer not reached, in the order they were marked. */
export function unreachableCsv(org: Org, list: { items: UnreachableRow[] }, locale: Locale): Buffer {
  const w = (k: string) => t(locale, `kpi.integrity.unreachable.csv.${k}`);
  const header = [w('number'), w('branch'), w('category'), w('name'), w('phone'), w('attempts'), w('at')];
  const lines = list.items.map((u) => [
    u.number,
    branchName(org, u.branchId, locale),
    t(locale, `common.category.${u.category}`),
    u.contactName ?? '',
    u.contactPhone ?? '',
    u.attempts,
    formatMinute(u.at),
  ]);
  return csvBytes([header, ...lines]);
}

/** One line per branch (then the centre, then the company); for each rate: rate, numerator, denominator, target, met. */
export function kpiCsv(org: Org, period: Period, report: KpiReport, locale: Locale, after: (string | number | null)[][] = []): Buffer {
  const header: string[] = [t(locale, 'kpi.csv.from'), t(locale, 'kpi.csv.to'), t(locale, 'kpi.csv.branch')];
  for (const n of RATE_NAMES) {
    const name = t(locale, `kpi.rate.${n}`);
    header.push(
      name,
      t(locale, `kpi.numerator.${n}`),
      t(locale, `kpi.denominator.${n}`),
      t(locale, 'kpi.csv.target', { name }),
      t(locale, 'kpi.csv.met', { name }),
    );
    if (report.company[n].pending !== undefined) header.push(t(locale, 'kpi.csv.pending', { name }));
  }
  header.push(
    t(locale, 'kpi.count.reopened'),
    t(locale, 'kpi.count.conductConfirmed'),
    t(locale, 'kpi.integrity.transfersOut'),
    t(locale, 'kpi.integrity.repeats'),
    t(locale, 'kpi.count.customerWaitMinutes'),
  );
  const rows: KpiRow[] = [...report.branches, ...(report.centre ? [report.centre] : []), report.company];
  const lines = rows.map((row) => {
    const name = row === report.company ? t(locale, 'kpi.company') : branchName(org, row.branchId, locale);
    const cells: (string | number)[] = [period.firstDay, period.lastDay, name];
    for (const n of RATE_NAMES) {
      const r = row[n];
      const met = r.met === null ? '—' : t(locale, r.met ? 'kpi.csv.yes' : 'kpi.csv.no');
      cells.push(percentText(r.rate), r.numerator, r.denominator, `${TARGETS[n]}%`, met);
      if (r.pending !== undefined) cells.push(r.pending);
    }
    cells.push(row.reopened, row.conductConfirmed, row.transfersOut, row.repeats, row.customerWaitMinutes ?? '—');
    return cells;
  });
  return csvBytes([header, ...lines, ...after]);
}

function topicName(locale: Locale, g: { topic: string | null; category: string | null }): string {
  return g.topic ?? t(locale, `common.category.${g.category ?? 'other'}`);
}

export function suggestionsJson(org: Org, period: Period, s: SuggestionSummary, locale: Locale = 'zh-CN') {
  return {
    period: { ...period, label: periodLabel(locale, period) },
    groups: s.groups.map((g) => ({ ...g, branchName: branchName(org, g.branchId, locale), topicName: topicName(locale, g) })),
    items: s.items.map((i) => ({ ...i, branchName: branchName(org, i.branchId, locale) })),
    truncated: s.truncated,
  };
}

/** One line per suggestion, grouped by branch and topic, each with its topic's count. */
export function suggestionsCsv(org: Org, s: SuggestionSummary, locale: Locale): Buffer {
  const w = (k: string) => t(locale, `kpi.suggestions.${k}`);
  const header = [
    t(locale, 'kpi.csv.branch'),
    w('topic'),
    w('topic_count'),
    w('number'),
    w('created'),
    w('source'),
    w('status'),
    w('answered'),
    w('description'),
  ];
  const counts = new Map(s.groups.map((g) => [`${g.branchId}|${g.topic ?? `#${g.category}`}`, g.count]));
  const lines = s.items.map((i) => [
    branchName(org, i.branchId, locale),
    topicName(locale, { topic: i.topic, category: i.category }),
    counts.get(`${i.branchId}|${i.topic ?? `#${i.category}`}`) ?? 1,
    i.number,
    formatMinute(i.createdAt),
    t(locale, `common.source.${i.source}`),
    t(locale, `common.status.${i.status}`),
    t(locale, i.answered ? 'kpi.csv.yes' : 'kpi.csv.no'),
    i.description,
  ]);
  return csvBytes([header, ...lines]);
}

function sendCsv(reply: FastifyReply, name: string, body: Buffer) {
  return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', attachment(name)).header('cache-control', 'no-store').send(body);
}

export async function kpiRoutes(app: FastifyInstance, opts: KpiRoutesOptions) {
  const { core } = opts;
  const schema = (summary: string) => ({ tags: ['kpi'], summary, querystring });

  const report = async (q: KpiQuerystring) => {
    const period = periodOf(core, q);
    // a closed month is its frozen snapshot, with the adjustments since (read-kpis.ts)
    const reading = await readKpis(core, period, { branchId: q.branch });
    return { period, report: reading.report, reading };
  };
  const suggestions = async (q: KpiQuerystring) => {
    const period = periodOf(core, q);
    return { period, summary: await summarizeSuggestions(core, { from: period.from, to: period.to, branchId: q.branch }) };
  };

  app.get<{ Querystring: KpiQuerystring }>(
    '/api/kpi',
    { schema: schema('Assessment rates per branch and for the company (R27-R30, R32/R33)') },
    async (req) => {
      const { period, report: r, reading } = await report(req.query);
      const locale = asLocale(req.query.lang);
      return { ...kpiJson(core.org, period, r, locale), ...closedJson(core.org, reading, locale) };
    },
  );

  app.get<{ Querystring: KpiQuerystring }>('/api/kpi.csv', { schema: schema('The same as CSV for Excel/WPS (UTF-8 with BOM)') }, async (req, reply) => {
    const { period, report: r, reading } = await report(req.query);
    const locale = asLocale(req.query.lang);
    return sendCsv(reply, `kpi-${period.firstDay}_${period.lastDay}.csv`, kpiCsv(core.org, period, r, locale, closedCsvLines(core.org, reading, locale)));
  });

  const unreachable = async (q: KpiQuerystring) => {
    const period = periodOf(core, q);
    return { period, list: await listUnreachable(core, { from: period.from, to: period.to, branchId: q.branch }) };
  };

  app.get<{ Querystring: KpiQuerystring }>(
    '/api/kpi/unreachable',
    { schema: schema('Customers a callback could not reach in the period, for the leaders (R28, R30)') },
    async (req) => {
      const { period, list } = await unreachable(req.query);
      const locale = asLocale(req.query.lang);
      return { period: { ...period, label: periodLabel(locale, period) }, ...unreachableJson(core.org, list, locale) };
    },
  );

  app.get<{ Querystring: KpiQuerystring }>('/api/kpi/unreachable.csv', { schema: schema('The same as CSV') }, async (req, reply) => {
    const { period, list } = await unreachable(req.query);
    return sendCsv(reply, `unreachable-${period.firstDay}_${period.lastDay}.csv`, unreachableCsv(core.org, list, asLocale(req.query.lang)));
  });

  app.get<{ Querystring: KpiQuerystring }>('/api/suggestions', { schema: schema('Suggestions and opinions per branch and topic (R18, R19)') }, async (req) => {
    const { period, summary } = await suggestions(req.query);
    return suggestionsJson(core.org, period, summary, asLocale(req.query.lang));
  });

  app.get<{ Querystring: KpiQuerystring }>(
    '/api/suggestions.csv',
    { schema: schema('Suggestions as CSV, grouped by branch and topic') },
    async (req, reply) => {
      const { period, summary } = await suggestions(req.query);
      return sendCsv(reply, `suggestions-${period.firstDay}_${period.lastDay}.csv`, suggestionsCsv(core.org, summary, asLocale(req.query.lang)));
    },
  );
}
