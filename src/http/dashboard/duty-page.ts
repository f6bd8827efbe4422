/**
 * The dashboard's duty page (R4): for one place (a branch, or the centre), who is on duty now,
 * unit by unit and why (a handover, the roster's shift, the onDuty flag), then its handovers
 * (signed, objected to, open) and duty log, newest first, a page at a time, optionally between two
 * dates. Scoped like the other pages (core/staff/dashboard-scope.ts): branch staff see their own
 * branch whatever they ask for; the centre's duty is for those who see every branch.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/context.js';
import type { PlaceDuty } from '../../core/duty/duty-at.js';
import { type DutyHistory, dutyHistory } from '../../core/duty/duty-history.js';
import { isAppError } from '../../core/errors.js';
import { parseDateParam } from '../../core/kpi/period.js';
import { formatMinute } from '../../core/local-time.js';
import type { Handover } from '../../core/model.js';
import type { Org } from '../../core/org/org.js';
import type { DutyRange } from '../../core/ports/duty-store.js';
import { branchesVisible, type DashboardScope } from '../../core/staff/dashboard-scope.js';
import { t, type Locale } from '../../i18n/index.js';
import { branchName } from './format.js';
import { href, html, type Markup } from './html.js';

/** What the routes hand in from dashboard-routes.ts. */
export interface DutyPageView {
  core: Core;
  scopeOf(req: FastifyRequest): DashboardScope;
  localeOf(req: FastifyRequest): Locale;
  send(req: FastifyRequest, reply: FastifyReply, locale: Locale, f: { title: string; current?: 'duty' }, body: Markup): FastifyReply;
}

/** The centre's duty in the place selector. */
const CENTRE = 'centre';
const DAY_MS = 86_400_000;

type Query = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => {
  const s = Array.isArray(v) ? v[0] : v;
  return s?.trim() ? s.trim().slice(0, 64) : undefined;
};

/** The place shown: a branch staff member's own; for the others the one asked for, else the first branch. */
function placeShown(org: Org, scope: DashboardScope, asked: string | undefined): string | null {
  if (scope.branchId) return scope.branchId;
  if (asked === CENTRE) return null;
  return asked && org.branches.has(asked) ? asked : ([...org.branches.keys()][0] ?? null);
}

export function registerDutyPage(pages: FastifyInstance, v: DutyPageView): void {
  const { core } = v;
  pages.get('/dashboard/duty', { schema: { hide: true } }, async (req, reply) => {
    const locale = v.localeOf(req);
    const scope = v.scopeOf(req);
    const q = req.query as Query;
    const branchId = placeShown(core.org, scope, one(q.branch));
    const pageNo = Math.min(Math.max(Number.parseInt(one(q.page) ?? '1', 10) || 1, 1), 1000);
    const dates = { from: one(q.from), to: one(q.to) };
    let error: string | undefined;
    let range: DutyRange = {};
    try {
      range = {
        from: dates.from ? parseDateParam('from', dates.from) : undefined,
        // the last day shown is whole
        until: dates.to ? new Date(parseDateParam('to', dates.to).getTime() + DAY_MS) : undefined,
      };
    } catch (e) {
      if (!isAppError(e, 'invalid_date')) throw e;
      error = t(locale, 'kpi.dashboard.error_invalid_date');
      reply.status(400);
    }
    const history = await dutyHistory(core, { branchId, page: pageNo, range });
    return v.send(
      req,
      reply,
      locale,
      { title: t(locale, 'dashboard.duty.title'), current: 'duty' },
      dutyPage({ org: core.org, locale, scope, branchId, dates, history, error }),
    );
  });
}

interface DutyPageInput {
  org: Org;
  locale: Locale;
  scope: DashboardScope;
  branchId: string | null;
  dates: { from?: string; to?: string };
  history: DutyHistory;
  error?: string;
}

const staffName = (org: Org, id: string | null) => (id ? (org.staff.get(id)?.name ?? id) : '');

function placeName(org: Org, locale: Locale, p: PlaceDuty): string {
  if (!p.unitId) return p.branchId === null ? t(locale, 'dashboard.duty.centre') : branchName(org, p.branchId, locale);
  const u = org.units.get(p.unitId);
  return u ? (locale === 'en' && u.nameEn ? u.nameEn : u.name) : p.unitId;
}

function why(locale: Locale, p: PlaceDuty): string {
  const L = (k: string, vars = {}) => t(locale, `dashboard.duty.${k}`, vars);
  if (p.source === 'handover') return p.assignment?.until ? L('source.handover_until', { until: formatMinute(p.assignment.until) }) : L('source.handover');
  if (p.source === 'roster' && p.shift) return L('source.roster', { shift: p.shift.shift.name, start: p.shift.shift.start, end: p.shift.shift.end });
  return L('source.flag');
}

function handoverState(org: Org, locale: Locale, h: Handover): Markup {
  const L = (k: string, vars = {}) => t(locale, `dashboard.duty.${k}`, vars);
  const objected = h.objectedAt
    ? html`<span class="flag">${L('objected', { by: h.objectedBy ? staffName(org, h.objectedBy) : '—', at: formatMinute(h.objectedAt) })}</span> ${h.objection ?? ''}`
    : '';
  if (h.incomingStaffId && h.incomingSignedAt)
    return html`${L('signed', { who: staffName(org, h.incomingStaffId), at: formatMinute(h.incomingSignedAt) })}${objected ? html`<br>${objected}` : ''}`;
  return objected ? html`${objected}<br><span class="muted">${L('still_outgoing')}</span>` : html`<span class="muted">${L('open')}</span>`;
}

export function dutyPage(p: DutyPageInput): Markup {
  const { org, locale, history: d } = p;
  const L = (k: string, vars = {}) => t(locale, `dashboard.duty.${k}`, vars);
  const placeLabel = p.branchId === null ? L('centre') : branchName(org, p.branchId, locale);
  const places = p.scope.branchId === null ? [...branchesVisible(org, p.scope), CENTRE] : [];
  const keep = { branch: p.branchId ?? CENTRE, from: p.dates.from, to: p.dates.to };
  const pageLink = (n: number) => href('/dashboard/duty', locale, { ...keep, page: String(n) });
  return html`
<h1>${L('heading', { place: placeLabel })}</h1>
<form method="get" action="/dashboard/duty" class="filters" id="duty-filters">
  ${
    places.length
      ? html`<label>${L('place')} <select name="branch">${places.map(
          (b) => html`<option value="${b}" ${b === keep.branch ? 'selected' : ''}>${b === CENTRE ? L('centre') : branchName(org, b, locale)}</option>`,
        )}</select></label>`
      : ''
  }
  <label>${L('from')} <input type="date" name="from" value="${p.dates.from ?? ''}"></label>
  <label>${L('to')} <input type="date" name="to" value="${p.dates.to ?? ''}"></label>
  ${locale === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
  <button type="submit">${L('show')}</button>
</form>
${p.error ? html`<p class="error" role="alert">${p.error}</p>` : ''}
<h2>${L('now_title', { at: formatMinute(d.at) })}</h2>
<div class="table-wrap"><table class="tickets" id="on-duty-now">
  <thead><tr><th>${L('col_place')}</th><th>${L('col_staff')}</th><th>${L('col_why')}</th></tr></thead>
  <tbody>${d.now.map(
    (x) =>
      html`<tr data-place="${x.unitId ?? x.branchId ?? CENTRE}"><td>${placeName(org, locale, x)}</td><td>${
        x.staff.length ? x.staff.map((s) => s.name).join(L('separator')) : html`<span class="muted">${L('nobody')}</span>`
      }</td><td>${why(locale, x)}</td></tr>`,
  )}</tbody></table></div>
<h2>${L('handovers_title')}</h2>
${
  d.handovers.length === 0
    ? html`<p class="empty" id="no-handovers">${L('no_handovers')}</p>`
    : html`<div class="table-wrap"><table class="tickets" id="handovers">
  <thead><tr><th>${L('col_signed_out')}</th><th>${L('col_outgoing')}</th><th>${L('col_incoming')}</th><th>${L('col_summary')}</th></tr></thead>
  <tbody>${d.handovers.map(
    (h) => html`<tr data-handover="${h.id}" class="${h.objectedAt && !h.incomingStaffId ? 'overdue' : ''}">
      <td>${formatMinute(h.outgoingSignedAt)}</td><td>${staffName(org, h.outgoingStaffId)}</td>
      <td>${handoverState(org, locale, h)}</td><td>${h.summary}</td></tr>`,
  )}</tbody></table></div>`
}
<h2>${L('log_title')}</h2>
${
  d.entries.length === 0
    ? html`<p class="empty" id="no-log">${L('no_log')}</p>`
    : html`<div class="table-wrap"><table class="tickets" id="duty-log">
  <thead><tr><th>${L('col_at')}</th><th>${L('col_who')}</th><th>${L('col_text')}</th></tr></thead>
  <tbody>${d.entries.map(
    (e) =>
      html`<tr><td>${formatMinute(e.at)}</td><td>${staffName(org, e.staffId)}</td><td>${e.text}${
        e.ticketNumber ? html` <a href="${href(`/dashboard/tickets/${e.ticketNumber}`, locale)}">${e.ticketNumber}</a>` : ''
      }</td></tr>`,
  )}</tbody></table></div>`
}
<p class="pager">${d.page > 1 ? html`<a href="${pageLink(d.page - 1)}" id="newer">← ${L('newer')}</a> ` : ''}${L('page', { page: d.page })}${
    d.more ? html` <a href="${pageLink(d.page + 1)}" id="older">${L('older')} →</a>` : ''
  }</p>`;
}
