/**
 * GET /dashboard: the assessment for leaders, served by the same Fastify app. Staff sign in
 * with Slack (slack-sign-in.ts), the operator with the API token; either way a server-side
 * session (session.ts) whose scope says which branches the person sees. Pages for the KPIs
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
import { AppError, isAppError } from '../../core/errors.js';
import { readKpis, type KpiReading } from '../../core/kpi/read-kpis.js';
import { closedCsvLines } from '../routes/kpi-closed-json.js';
import { kpiTrend, type TrendPoint } from '../../core/kpi/kpi-trend.js';
import { monthOf, seasonOf, type Period, type PeriodQuery } from '../../core/kpi/period.js';
import { summarizeSuggestions } from '../../core/kpi/summarize-suggestions.js';
import { branchesVisible, branchShown, OPERATOR, seesBranch, type DashboardScope } from '../../core/staff/dashboard-scope.js';
import { getTicket } from '../../core/tickets/get-ticket.js';
import { listTickets } from '../../core/tickets/list-tickets.js';
import { OPEN_STATUSES } from '../../core/tickets/status-machine.js';
import { asLocale, t, type Locale } from '../../i18n/index.js';
import { kpiCsv, periodOf, suggestionsCsv } from '../routes/kpi.js';
import { attachment, branchName } from './format.js';
import { href, html, page, type Markup, type NavItem } from './html.js';
import { registerDutyPage } from './duty-page.js';
import { registerTrainingPage } from './training-page.js';
import { mayReadConduct } from '../../core/conduct/conduct-record.js';
import { registerConductPage } from './conduct-page.js';
import { incidentBanner, registerIncidentPages } from './incidents-page.js';
import { kpiPage } from './kpi-page.js';
import { loginPage, type LoginProblem, suggestionsPage } from './other-pages.js';
import { DashboardSessions, type SignedIn } from './session.js';
import { registerSignIn } from './sign-in-routes.js';
import { SignInSlowdown, type Sleep } from './sign-in-slowdown.js';
import { SlackSignIn } from './slack-sign-in.js';
import type { SlackSignInSettings } from '../../config.js';
import { ticketListPage, ticketPage } from './ticket-pages.js';

export interface DashboardOptions {
  core: Core;
  /** the operator's sign-in */
  apiToken: string;
  /** https here makes the cookies Secure whatever the request says */
  publicUrl?: string;
  /** Sign in with Slack; without it, the operator's token form only */
  slackSignIn?: SlackSignInSettings;
  /** how a wrong sign-in waits (tests pass one that records instead of sleeping) */
  sleep?: Sleep;
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
  const sessions = new DashboardSessions(core, opts.apiToken, opts.publicUrl);
  const slowdown = new SignInSlowdown(core.clock, opts.sleep);
  const slack = opts.slackSignIn ? new SlackSignIn(opts.slackSignIn, core.clock) : undefined;
  const signedIn = new WeakMap<FastifyRequest, SignedIn>();
  /** The scope of a request past the pages' sign-in hook. */
  const scopeOf = (req: FastifyRequest): DashboardScope => {
    const s = signedIn.get(req);
    if (!s) throw new Error('a dashboard page answered without a session');
    return s.scope;
  };
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
  /** Whether the signed-in person may read the conduct records: the menu shows the link only to them (R31-R33). */
  const mayReadConductHere = (req: FastifyRequest): boolean => {
    const scope = signedIn.get(req)?.scope;
    return Boolean(scope && mayReadConduct(scope));
  };
  /** Who is signed in, for the page's header. */
  const whoOf = (req: FastifyRequest, locale: Locale): string | undefined => {
    const scope = signedIn.get(req)?.scope;
    if (!scope) return undefined;
    if (scope.staffId === OPERATOR && scope.role === OPERATOR) return t(locale, 'kpi.dashboard.who_operator');
    const name = core.org.staff.get(scope.staffId)?.name ?? scope.staffId;
    return scope.branchId ? `${name} · ${branchName(core.org, scope.branchId, locale)}` : name;
  };
  const send = (
    req: FastifyRequest,
    reply: FastifyReply,
    locale: Locale,
    f: { title: string; current?: NavItem; scripts?: boolean; refresh?: string },
    body: Markup,
  ) =>
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        page(
          { locale, company: company(locale), otherLanguage: otherLanguage(req, locale), who: whoOf(req, locale), conduct: mayReadConductHere(req), ...f },
          body,
        ),
      );
  const signInForm = (req: FastifyRequest, reply: FastifyReply, locale: Locale, status: number, problem?: LoginProblem) =>
    send(req, reply.status(status), locale, { title: t(locale, 'kpi.dashboard.login_title') }, loginPage(locale, { problem, slack: Boolean(slack) }));

  registerSignIn(app, { core, sessions, slack, slowdown, publicUrl: opts.publicUrl, view: { localeOf, send, signInForm } });

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
      const s = await sessions.current(req);
      if (!s) return reply.redirect(href('/dashboard/login', localeOf(req)), 303);
      signedIn.set(req, s);
    });
    /** The period query with the branch narrowed to what the person sees. */
    const scopedQuery = (req: FastifyRequest) => {
      const q = periodQuery(req.query as Query);
      return { ...q, branch: branchShown(scopeOf(req), q.branch) };
    };

    pages.get('/dashboard', { schema: { hide: true } }, async (req, reply) => {
      const locale = localeOf(req);
      const scope = scopeOf(req);
      const q = scopedQuery(req);
      let period: Period;
      let error: string | undefined;
      let reading: KpiReading | undefined;
      try {
        period = periodOf(core, q);
        // a closed month is its frozen snapshot, with the adjustments since (read-kpis.ts)
        reading = await readKpis(core, period, { branchId: q.branch });
      } catch (e) {
        if (!isAppError(e, 'invalid_date') && !isAppError(e, 'invalid_period') && !isAppError(e, 'unknown_branch')) throw e;
        error = t(locale, `kpi.dashboard.error_${e.code}`);
        reply.status(e.code === 'unknown_branch' ? 422 : 400);
        period = monthOf(core.clock.now());
        q.branch = branchShown(scope, undefined);
        reading = await readKpis(core, period, { branchId: q.branch });
      }
      const trend = await trendOf(seasonOf(period.from, core.org.config.company.heatingSeason), q.branch);
      return send(
        req,
        reply,
        locale,
        { title: t(locale, 'kpi.title'), current: 'kpi', scripts: true },
        html`${await incidentBanner(core, scope, locale)}${kpiPage({
          org: core.org,
          locale,
          query: q,
          period,
          report: reading.report,
          reading,
          trend,
          error,
          branches: branchesVisible(core.org, scope),
          allBranches: scope.branchId === null,
        })}`,
      );
    });

    registerIncidentPages(pages, { core, scopeOf, localeOf, send });
    registerDutyPage(pages, { core, scopeOf, localeOf, send });
    registerTrainingPage(pages, { core, scopeOf, localeOf, send });
    registerConductPage(pages, { core, scopeOf, localeOf, send });

    pages.get('/dashboard/kpi.csv', { schema: { hide: true } }, async (req, reply) => {
      const q = scopedQuery(req);
      const period = periodOf(core, q);
      const reading = await readKpis(core, period, { branchId: q.branch });
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', attachment(`kpi-${period.firstDay}_${period.lastDay}.csv`))
        .send(kpiCsv(core.org, period, reading.report, localeOf(req), closedCsvLines(core.org, reading, localeOf(req))));
    });

    pages.get('/dashboard/tickets', { schema: { hide: true } }, async (req, reply) => {
      const locale = localeOf(req);
      const scope = scopeOf(req);
      const query = req.query as Query;
      const branch = first(query.branch);
      const branchId = branchShown(scope, branch && core.org.branches.has(branch) ? branch : undefined);
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
        branches: branchesVisible(core.org, scope),
        allBranches: scope.branchId === null,
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
        // another branch's ticket is answered as one that does not exist: its number tells nothing
        if (!seesBranch(scopeOf(req), tk.branchId)) throw new AppError('ticket_not_found', `ticket ${tk.number} is outside the session's branch`);
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
          ticketListPage({
            org: core.org,
            locale,
            branches: branchesVisible(core.org, scopeOf(req)),
            allBranches: scopeOf(req).branchId === null,
            overdueOnly: false,
            items: [],
            total: 0,
            overdue: new Set(),
            overdueTotal: 0,
          }),
        );
      }
    });

    pages.get('/dashboard/suggestions', { schema: { hide: true } }, async (req, reply) => {
      const locale = localeOf(req);
      const q = scopedQuery(req);
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
      const q = scopedQuery(req);
      const period = periodOf(core, q);
      const s = await summarizeSuggestions(core, { from: period.from, to: period.to, branchId: q.branch });
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', attachment(`suggestions-${period.firstDay}_${period.lastDay}.csv`))
        .send(suggestionsCsv(core.org, s, localeOf(req)));
    });
  });
}
