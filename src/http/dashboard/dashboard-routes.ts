/**
 * GET /dashboard: the assessment for leaders, served by the same Fastify app. Sign in with
 * the API token (a signed, HttpOnly, SameSite=Strict cookie after that); pages for the KPIs
 * with the season's trend (Chart.js, served from node_modules, no CDN), open and overdue
 * tickets, a ticket's timeline and the suggestions summary; CSV downloads. Helmet's headers
 * and a CSP that allows only this server's own scripts and styles apply to these routes only.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/context.js';
import { isAppError } from '../../core/errors.js';
import { computeKpis } from '../../core/kpi/compute-kpis.js';
import { kpiTrend, type TrendPoint } from '../../core/kpi/kpi-trend.js';
import { monthOf, seasonOf, type Period, type PeriodQuery } from '../../core/kpi/period.js';
import { summarizeSuggestions } from '../../core/kpi/summarize-suggestions.js';
import { getTicket } from '../../core/tickets/get-ticket.js';
import { listTickets } from '../../core/tickets/list-tickets.js';
import { OPEN_STATUSES } from '../../core/tickets/status-machine.js';
import { asLocale, t, type Locale } from '../../i18n/index.js';
import { kpiCsv, periodOf, suggestionsCsv } from '../routes/kpi.js';
import { attachment } from './format.js';
import { href, page, type Markup } from './html.js';
import { kpiPage } from './kpi-page.js';
import { loginPage, suggestionsPage } from './other-pages.js';
import { DashboardSession, LoginThrottle } from './session.js';
import { ticketListPage, ticketPage } from './ticket-pages.js';

export interface DashboardOptions {
  core: Core;
  apiToken: string;
}

type Query = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined): string | undefined => {
  const s = Array.isArray(v) ? v[0] : v;
  return s?.trim() ? s.trim().slice(0, 64) : undefined;
};

// the sources' folder, so that the compiled service (dist/) serves the same files
const ASSETS = resolve(import.meta.dirname, '../../../src/http/dashboard/assets');
const CHART_JS = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.js');

/** The query a period form sends; `to` only counts for a custom period (the form always sends it). */
function periodQuery(q: Query): PeriodQuery & { branch?: string } {
  const period = first(q.period);
  return { period, from: first(q.from), to: period === 'custom' || !period ? first(q.to) : undefined, branch: first(q.branch) };
}

const TREND_TTL_MS = 60_000;

export async function dashboardRoutes(app: FastifyInstance, opts: DashboardOptions) {
  const { core } = opts;
  const session = new DashboardSession(opts.apiToken, core.clock);
  const throttle = new LoginThrottle(core.clock);
  const company = (l: Locale) => (l === 'en' ? (core.org.config.company.nameEn ?? core.org.config.company.name) : core.org.config.company.name);

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(formbody, { bodyLimit: 4096 });

  const assets: Record<string, { type: string; body: Buffer }> = {
    'chart.umd.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(CHART_JS) },
    'dashboard.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(join(ASSETS, 'dashboard.js')) },
    'dashboard.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(ASSETS, 'dashboard.css')) },
  };
  app.get<{ Params: { name: string } }>('/dashboard/assets/:name', { schema: { hide: true } }, async (req, reply) => {
    const a = Object.hasOwn(assets, req.params.name) ? assets[req.params.name] : undefined;
    if (!a) return reply.status(404).send({ code: 'not_found', message: 'no such asset' });
    return reply.header('content-type', a.type).header('cache-control', 'public, max-age=3600').send(a.body);
  });

  const localeOf = (req: FastifyRequest) => asLocale(first((req.query as Query).lang));
  /** The same page in the other language. */
  const otherLanguage = (req: FastifyRequest, locale: Locale) => {
    const u = new URL(req.url, 'http://x');
    if (locale === 'en') u.searchParams.delete('lang');
    else u.searchParams.set('lang', 'en');
    return u.pathname + u.search;
  };
  const send = (
    req: FastifyRequest,
    reply: FastifyReply,
    locale: Locale,
    f: { title: string; current?: 'kpi' | 'tickets' | 'suggestions'; scripts?: boolean },
    body: Markup,
  ) =>
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(page({ locale, company: company(locale), otherLanguage: otherLanguage(req, locale), ...f }, body));

  app.get('/dashboard/login', { schema: { hide: true } }, async (req, reply) => {
    const locale = localeOf(req);
    if (session.isSignedIn(req)) return reply.redirect(href('/dashboard', locale), 303);
    return send(req, reply, locale, { title: t(locale, 'kpi.dashboard.login_title') }, loginPage(locale));
  });

  app.post<{ Body: { token?: string } }>('/dashboard/login', { schema: { hide: true } }, async (req, reply) => {
    const locale = localeOf(req);
    if (throttle.blocked(req.ip)) {
      reply.status(429);
      return send(req, reply, locale, { title: t(locale, 'kpi.dashboard.login_title') }, loginPage(locale, 'throttled'));
    }
    if (!session.tokenMatches(req.body?.token)) {
      throttle.failed(req.ip);
      reply.status(401);
      return send(req, reply, locale, { title: t(locale, 'kpi.dashboard.login_title') }, loginPage(locale, 'failed'));
    }
    session.issue(reply, req);
    return reply.redirect(href('/dashboard', locale), 303);
  });

  app.post('/dashboard/logout', { schema: { hide: true } }, async (req, reply) => {
    session.clear(reply, req);
    return reply.redirect(href('/dashboard/login', localeOf(req)), 303);
  });

  const trendCache = new Map<string, { at: number; points: TrendPoint[] }>();
  /** Months of the season: a few grouped queries each; kept a minute so that paging around stays quick. */
  const trendOf = async (season: Period, branch?: string) => {
    const key = `${season.from.toISOString()}|${branch ?? ''}`;
    const now = core.clock.now().getTime();
    const hit = trendCache.get(key);
    if (hit && now - hit.at < TREND_TTL_MS) return hit.points;
    const points = await kpiTrend(core, season, branch);
    if (trendCache.size > 50) trendCache.clear();
    trendCache.set(key, { at: now, points });
    return points;
  };

  await app.register(async (pages) => {
    pages.addHook('onRequest', async (req, reply) => {
      if (!session.isSignedIn(req)) return reply.redirect(href('/dashboard/login', localeOf(req)), 303);
    });

    pages.get('/dashboard', { schema: { hide: true } }, async (req, reply) => {
      const locale = localeOf(req);
      const q = periodQuery(req.query as Query);
      let period: Period;
      let error: string | undefined;
      let report: Awaited<ReturnType<typeof computeKpis>> | undefined;
      try {
        period = periodOf(core, q);
        report = await computeKpis(core, { from: period.from, to: period.to, branchId: q.branch });
      } catch (e) {
        if (!isAppError(e, 'invalid_date') && !isAppError(e, 'invalid_period') && !isAppError(e, 'unknown_branch')) throw e;
        error = t(locale, `kpi.dashboard.error_${e.code}`);
        reply.status(e.code === 'unknown_branch' ? 422 : 400);
        period = monthOf(core.clock.now());
        q.branch = undefined;
        report = await computeKpis(core, { from: period.from, to: period.to });
      }
      const trend = await trendOf(seasonOf(period.from, core.org.config.company.heatingSeason), q.branch);
      return send(
        req,
        reply,
        locale,
        { title: t(locale, 'kpi.title'), current: 'kpi', scripts: true },
        kpiPage({ org: core.org, locale, query: q, period, report, trend, error }),
      );
    });

    pages.get('/dashboard/kpi.csv', { schema: { hide: true } }, async (req, reply) => {
      const q = periodQuery(req.query as Query);
      const period = periodOf(core, q);
      const report = await computeKpis(core, { from: period.from, to: period.to, branchId: q.branch });
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', attachment(`kpi-${period.firstDay}_${period.lastDay}.csv`))
        .send(kpiCsv(core.org, period, report, localeOf(req)));
    });

    pages.get('/dashboard/tickets', { schema: { hide: true } }, async (req, reply) => {
      const locale = localeOf(req);
      const query = req.query as Query;
      const branch = first(query.branch);
      const branchId = branch && core.org.branches.has(branch) ? branch : undefined;
      const overdueOnly = first(query.overdue) === '1';
      const open = [...OPEN_STATUSES];
      const [list, late] = await Promise.all([
        listTickets(core, { status: open, branchId, overdue: overdueOnly, pageSize: 200 }),
        listTickets(core, { status: open, branchId, overdue: true, pageSize: 500 }),
      ]);
      const body = ticketListPage({
        org: core.org,
        locale,
        branch: branchId,
        overdueOnly,
        items: list.items,
        total: list.total,
        overdue: new Set(late.items.map((i) => i.number)),
        overdueTotal: late.total,
      });
      return send(req, reply, locale, { title: t(locale, 'kpi.dashboard.open_title'), current: 'tickets' }, body);
    });

    pages.get<{ Params: { number: string } }>('/dashboard/tickets/:number', { schema: { hide: true } }, async (req, reply) => {
      const locale = localeOf(req);
      try {
        const tk = await getTicket(core, req.params.number.slice(0, 32));
        return send(
          req,
          reply,
          locale,
          { title: t(locale, 'kpi.dashboard.ticket_title', { number: tk.number }), current: 'tickets' },
          ticketPage(core.org, locale, tk),
        );
      } catch (e) {
        if (!isAppError(e, 'ticket_not_found')) throw e;
        reply.status(404);
        return send(
          req,
          reply,
          locale,
          { title: t(locale, 'kpi.dashboard.not_found'), current: 'tickets' },
          ticketListPage({ org: core.org, locale, overdueOnly: false, items: [], total: 0, overdue: new Set(), overdueTotal: 0 }),
        );
      }
    });

    pages.get('/dashboard/suggestions', { schema: { hide: true } }, async (req, reply) => {
      const locale = localeOf(req);
      const q = periodQuery(req.query as Query);
      const period = periodOf(core, q);
      const s = await summarizeSuggestions(core, { from: period.from, to: period.to, branchId: q.branch });
      const keep = { period: q.period, from: q.from, to: q.to, branch: q.branch };
      return send(
        req,
        reply,
        locale,
        { title: t(locale, 'kpi.suggestions.title'), current: 'suggestions' },
        suggestionsPage(core.org, locale, period, s, keep),
      );
    });

    pages.get('/dashboard/suggestions.csv', { schema: { hide: true } }, async (req, reply) => {
      const q = periodQuery(req.query as Query);
      const period = periodOf(core, q);
      const s = await summarizeSuggestions(core, { from: period.from, to: period.to, branchId: q.branch });
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', attachment(`suggestions-${period.firstDay}_${period.lastDay}.csv`))
        .send(suggestionsCsv(core.org, s, localeOf(req)));
    });
  });
}
