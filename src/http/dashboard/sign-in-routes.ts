/**
 * The dashboard's sign-in routes: the sign-in page, the operator's token form, Sign in with
 * Slack's start and way back, and sign-out. Who is let in and what they see is the
 * organisation file's (core/staff/dashboard-scope.ts); the sessions are session.ts's.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/context.js';
import { dashboardScopeOf, OPERATOR, operatorScope } from '../../core/staff/dashboard-scope.js';
import { asLocale, t, type Locale } from '../../i18n/index.js';
import { href, type Markup } from './html.js';
import { continuePage, type LoginProblem } from './other-pages.js';
import { addCookie, cookieHeader, type DashboardSessions, readCookie, secureCookies } from './session.js';
import type { SignInSlowdown } from './sign-in-slowdown.js';
import { FLOW_COOKIE, FLOW_PATH, FLOW_SECONDS, type SlackSignIn, SlackSignInError } from './slack-sign-in.js';
import { SIGN_IN_CALLBACK_PATH } from './paths.js';

/** How the dashboard answers with a page: its language, a page in the frame, the sign-in page with a problem. */
export interface DashboardView {
  localeOf(req: FastifyRequest): Locale;
  send(req: FastifyRequest, reply: FastifyReply, locale: Locale, frame: { title: string; refresh?: string }, body: Markup): FastifyReply;
  signInForm(req: FastifyRequest, reply: FastifyReply, locale: Locale, status: number, problem?: LoginProblem): FastifyReply;
}

export interface SignInRouteOptions {
  core: Core;
  sessions: DashboardSessions;
  /** absent: Sign in with Slack is not configured */
  slack?: SlackSignIn;
  slowdown: SignInSlowdown;
  publicUrl?: string;
  view: DashboardView;
}

export function registerSignIn(app: FastifyInstance, o: SignInRouteOptions): void {
  const { core, sessions, slack, slowdown, view } = o;
  const { localeOf, send, signInForm } = view;

  app.get('/dashboard/login', { schema: { hide: true } }, async (req, reply) => {
    const locale = localeOf(req);
    if (await sessions.current(req)) return reply.redirect(href('/dashboard', locale), 303);
    return signInForm(req, reply, locale, 200);
  });

  // The token is checked first: a right one signs in at once, however many wrong ones came before.
  app.post<{ Body: { token?: string } }>('/dashboard/login', { schema: { hide: true } }, async (req, reply) => {
    const locale = localeOf(req);
    if (!sessions.tokenMatches(req.body?.token)) {
      await slowdown.failed([`identity:${OPERATOR}`, `address:${req.ip}`]);
      return signInForm(req, reply, locale, 401, 'failed');
    }
    await sessions.start(req, reply, operatorScope());
    req.log.info({ staff: OPERATOR }, 'signed in to the dashboard with the API token');
    return reply.redirect(href('/dashboard', locale), 303);
  });

  const flowCookie = (req: FastifyRequest, value: string, maxAge: number) =>
    cookieHeader(FLOW_COOKIE, value, { maxAge, path: FLOW_PATH, sameSite: 'Lax', secure: secureCookies(req, o.publicUrl) });

  app.get('/dashboard/auth/slack', { schema: { hide: true } }, async (req, reply) => {
    const locale = localeOf(req);
    if (!slack) return reply.status(404).send({ code: 'not_found', message: 'Sign in with Slack is not configured' });
    try {
      const { url, flowCookie: value } = await slack.begin(locale);
      addCookie(reply, flowCookie(req, value, FLOW_SECONDS));
      return reply.header('cache-control', 'no-store').redirect(url, 302);
    } catch (e) {
      if (!(e instanceof SlackSignInError)) throw e;
      req.log.warn({ err: e.message }, 'Sign in with Slack unavailable');
      return signInForm(req, reply, locale, 503, 'slack_unavailable');
    }
  });

  app.get(SIGN_IN_CALLBACK_PATH, { schema: { hide: true } }, async (req, reply) => {
    if (!slack) return reply.status(404).send({ code: 'not_found', message: 'Sign in with Slack is not configured' });
    const value = readCookie(req.headers.cookie, FLOW_COOKIE);
    addCookie(reply, flowCookie(req, '', 0)); // one attempt, one way back
    const locale = asLocale(slack.langOf(value));
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    let identity: Awaited<ReturnType<SlackSignIn['finish']>>;
    try {
      identity = await slack.finish(query, value);
    } catch (e) {
      if (!(e instanceof SlackSignInError)) throw e;
      req.log.warn({ err: e.message }, 'Sign in with Slack did not complete');
      return e.problem === 'unavailable' ? signInForm(req, reply, locale, 503, 'slack_unavailable') : signInForm(req, reply, locale, 400, 'slack_failed');
    }
    const wanted = slack.settings.teamId;
    if (wanted && identity.teamId !== wanted) {
      req.log.warn({ slackUser: identity.userId, team: identity.teamId }, 'dashboard sign-in from another Slack workspace refused');
      return signInForm(req, reply, locale, 403, 'wrong_team');
    }
    const decision = dashboardScopeOf(core.org, core.org.staffBySlackUser(identity.userId));
    if (!decision.allowed) {
      req.log.warn({ slackUser: identity.userId, reason: decision.reason }, 'dashboard sign-in refused');
      return signInForm(req, reply, locale, 403, decision.reason);
    }
    await sessions.start(req, reply, decision.scope);
    req.log.info({ staff: decision.scope.staffId }, 'signed in to the dashboard with Slack');
    // A page, not a redirect: the Strict session cookie is not sent on a redirect chain that began at Slack.
    const to = href('/dashboard', locale);
    return send(req, reply, locale, { title: t(locale, 'kpi.dashboard.login_title'), refresh: to }, continuePage(locale, to));
  });

  app.post('/dashboard/logout', { schema: { hide: true } }, async (req, reply) => {
    await sessions.end(req, reply);
    return reply.redirect(href('/dashboard/login', localeOf(req)), 303);
  });
}
