/**
 * The dashboard's training page (R23/R24): a year's sessions with their attendees, attendance per
 * staff member (sessions, topics covered, the latest day) and the service staff with no session,
 * with the same as CSV. Scoped like the other pages (core/staff/dashboard-scope.ts): the
 * company's leaders and the centre see every branch and may narrow to one; branch staff see their
 * own branch whatever they ask for.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/context.js';
import { isAppError } from '../../core/errors.js';
import { currentYear } from '../../core/training/training-dates.js';
import { readYear, trainingYear, type TrainingYear } from '../../core/training/training-year.js';
import type { Org } from '../../core/org/org.js';
import { branchesVisible, branchShown, type DashboardScope } from '../../core/staff/dashboard-scope.js';
import { t, type Locale } from '../../i18n/index.js';
import { trainingCsv, trainingPlace } from '../routes/training.js';
import { attachment, branchName } from './format.js';
import { href, html, type Markup } from './html.js';

/** What the routes hand in from dashboard-routes.ts. */
export interface TrainingPageView {
  core: Core;
  scopeOf(req: FastifyRequest): DashboardScope;
  localeOf(req: FastifyRequest): Locale;
  send(req: FastifyRequest, reply: FastifyReply, locale: Locale, f: { title: string; current?: 'training' }, body: Markup): FastifyReply;
}

type Query = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => {
  const s = Array.isArray(v) ? v[0] : v;
  return s?.trim() ? s.trim().slice(0, 64) : undefined;
};

export function registerTrainingPage(pages: FastifyInstance, v: TrainingPageView): void {
  const { core } = v;
  /** The year and branch a request asks for, narrowed to what the person sees; a bad year falls back to this one. */
  const asked = (req: FastifyRequest) => {
    const q = req.query as Query;
    const scope = v.scopeOf(req);
    const b = one(q.branch);
    const branchId = branchShown(scope, b && core.org.branches.has(b) ? b : undefined);
    try {
      return { year: readYear(one(q.year), core.clock.now()), branchId, scope, bad: false };
    } catch (e) {
      if (!isAppError(e, 'validation_failed')) throw e;
      return { year: currentYear(core.clock.now()), branchId, scope, bad: true };
    }
  };

  pages.get('/dashboard/training', { schema: { hide: true } }, async (req, reply) => {
    const locale = v.localeOf(req);
    const a = asked(req);
    if (a.bad) reply.status(400);
    const y = await trainingYear(core, { year: a.year, branchId: a.branchId });
    return v.send(
      req,
      reply,
      locale,
      { title: t(locale, 'dashboard.training.title'), current: 'training' },
      trainingPage({ org: core.org, locale, scope: a.scope, y, error: a.bad ? t(locale, 'dashboard.training.error_year') : undefined }),
    );
  });

  pages.get('/dashboard/training.csv', { schema: { hide: true } }, async (req, reply) => {
    const a = asked(req);
    if (a.bad) return reply.status(400).send({ code: 'validation_failed', message: 'year: YYYY, 2000 to next year' });
    const y = await trainingYear(core, { year: a.year, branchId: a.branchId });
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', attachment(`training-${y.year}${y.branchId ? `-${y.branchId}` : ''}.csv`))
      .header('cache-control', 'no-store')
      .send(trainingCsv(core.org, y, v.localeOf(req)));
  });
}

interface TrainingPageInput {
  org: Org;
  locale: Locale;
  scope: DashboardScope;
  y: TrainingYear;
  error?: string;
}

export function trainingPage(p: TrainingPageInput): Markup {
  const { org, locale, y } = p;
  const L = (k: string, vars = {}) => t(locale, `dashboard.training.${k}`, vars);
  const name = (id: string) => org.staff.get(id)?.name ?? id;
  const place = y.branchId ? branchName(org, y.branchId, locale) : L('company');
  const branches = p.scope.branchId === null ? branchesVisible(org, p.scope) : [];
  const keep = { year: String(y.year), branch: y.branchId };
  const service = y.staff.filter((s) => s.service).length;
  const people = y.sessions.reduce((n, s) => n + s.staffIds.length, 0);
  return html`
<h1>${L('heading', { year: y.year, place })}</h1>
<form method="get" action="/dashboard/training" class="filters" id="training-filters">
  <label>${L('year')} <input type="number" name="year" min="2000" value="${String(y.year)}"></label>
  ${
    branches.length
      ? html`<label>${L('branch')} <select name="branch"><option value="">${L('company')}</option>${branches.map(
          (b) => html`<option value="${b}" ${b === y.branchId ? 'selected' : ''}>${branchName(org, b, locale)}</option>`,
        )}</select></label>`
      : ''
  }
  ${locale === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
  <button type="submit">${L('show')}</button>
  <a href="${href('/dashboard/training.csv', locale, keep)}" id="training-csv">${L('download')}</a>
</form>
${p.error ? html`<p class="error" role="alert">${p.error}</p>` : ''}
<p id="training-summary">${L('summary', { n: y.sessions.length, people, of: service, untrained: y.untrained.length })}</p>
<h2>${L('untrained_title')}</h2>
${
  y.untrained.length
    ? html`<ul id="untrained">${y.untrained.map((id) => {
        const s = org.staff.get(id);
        return html`<li data-staff="${id}">${name(id)} · ${branchName(org, s?.branchId ?? null, locale)}</li>`;
      })}</ul>`
    : html`<p class="empty" id="untrained">${L('all_trained')}</p>`
}
<h2>${L('staff_title')}</h2>
<div class="table-wrap"><table class="tickets" id="training-staff">
  <thead><tr><th>${L('col.staff')}</th><th>${L('col.branch')}</th><th>${L('col.role')}</th><th>${L('col.sessions')}</th><th>${L('col.topics')}</th><th>${L('col.last')}</th></tr></thead>
  <tbody>${y.staff.map((s) => {
    const staff = org.staff.get(s.staffId);
    return html`<tr data-staff="${s.staffId}" class="${s.service && s.sessions === 0 ? 'overdue' : ''}"><td>${name(s.staffId)}</td><td>${branchName(
      org,
      s.branchId,
      locale,
    )}</td><td>${staff ? L(`role.${staff.role}`) : ''}</td><td>${String(s.sessions)}</td><td>${s.topics.map((x) => L(`topic.${x}`)).join(L('separator'))}</td><td>${s.lastDate ?? '—'}</td></tr>`;
  })}</tbody></table></div>
<h2>${L('sessions_title')}</h2>
${
  y.sessions.length === 0
    ? html`<p class="empty" id="no-sessions">${L('no_sessions')}</p>`
    : html`<div class="table-wrap"><table class="tickets" id="training-sessions">
  <thead><tr><th>${L('col.date')}</th><th>${L('col.topic')}</th><th>${L('col.trainer')}</th><th>${L('col.place')}</th><th>${L('col.attendees')}</th><th>${L('col.note')}</th></tr></thead>
  <tbody>${y.sessions.map(
    (s) =>
      html`<tr data-session="${String(s.id)}"><td>${s.date}</td><td>${L(`topic.${s.topic}`)}</td><td>${s.trainer}</td><td>${trainingPlace(org, s.branchId, locale)}</td><td>${s.staffIds
        .map(name)
        .join(L('separator'))}</td><td>${s.note ?? ''}</td></tr>`,
  )}</tbody></table></div>`
}`;
}
