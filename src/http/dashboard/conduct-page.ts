/**
 * The dashboard's conduct page (R31-R33): each staff member's record, the findings about them
 * with counts per finding, and per staff member the list (ticket, month, finding, consequence,
 * who found it). Leaders, admins and the operator only (core/conduct/conduct-record.ts): a branch
 * head sees their own branch's staff; anyone else is refused with 403 and told why.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { conductRecord, mayReadConduct, type ConductRecord } from '../../core/conduct/conduct-record.js';
import type { Core } from '../../core/context.js';
import { isAppError } from '../../core/errors.js';
import { formatMinute } from '../../core/local-time.js';
import { CONDUCT_FINDINGS } from '../../core/model.js';
import type { Org } from '../../core/org/org.js';
import type { DashboardScope } from '../../core/staff/dashboard-scope.js';
import { t, type Locale } from '../../i18n/index.js';
import { branchName } from './format.js';
import { href, html, type Markup, type NavItem } from './html.js';

/** What the routes hand in from dashboard-routes.ts. */
export interface ConductPageView {
  core: Core;
  scopeOf(req: FastifyRequest): DashboardScope;
  localeOf(req: FastifyRequest): Locale;
  send(req: FastifyRequest, reply: FastifyReply, locale: Locale, f: { title: string; current?: NavItem }, body: Markup): FastifyReply;
}

type Query = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => {
  const s = Array.isArray(v) ? v[0] : v;
  return s?.trim() ? s.trim().slice(0, 64) : undefined;
};

export function registerConductPage(pages: FastifyInstance, v: ConductPageView): void {
  pages.get('/dashboard/conduct', { schema: { hide: true } }, async (req, reply) => {
    const locale = v.localeOf(req);
    const L = (k: string) => t(locale, `dashboard.conduct.${k}`);
    const scope = v.scopeOf(req);
    if (!mayReadConduct(scope))
      return v.send(
        req,
        reply.status(403),
        locale,
        { title: L('title'), current: 'conduct' },
        html`<p class="error" role="alert" id="conduct-refused">${L('refused')}</p>`,
      );
    const q = req.query as Query;
    let record: ConductRecord;
    let error: string | undefined;
    try {
      record = await conductRecord(v.core, scope, { month: one(q.month), staffId: one(q.staff) });
    } catch (e) {
      if (!isAppError(e, 'validation_failed')) throw e;
      reply.status(400);
      error = L('error_month');
      record = await conductRecord(v.core, scope, { staffId: one(q.staff) });
    }
    return v.send(req, reply, locale, { title: L('title'), current: 'conduct' }, conductPage(v.core.org, locale, record, error));
  });
}

export function conductPage(org: Org, locale: Locale, r: ConductRecord, error?: string): Markup {
  const L = (k: string, vars = {}) => t(locale, `dashboard.conduct.${k}`, vars);
  const name = (id: string) => org.staff.get(id)?.name ?? L('left');
  const place = r.branchId ? branchName(org, r.branchId, locale) : L('company');
  return html`
<h1>${L('heading')} · ${place}</h1>
<form method="get" action="/dashboard/conduct" class="filters" id="conduct-filters">
  <label>${L('month')} <input type="month" name="month" value="${r.month ?? ''}"></label>
  <label>${L('staff')} <input type="text" name="staff" value="${r.staffId ?? ''}"></label>
  ${locale === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
  <button type="submit">${L('show')}</button>
</form>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
${
  r.staff.length
    ? html`<div class="table-wrap"><table class="tickets" id="conduct-staff">
<thead><tr><th>${L('staff')}</th><th>${L('branch')}</th>${CONDUCT_FINDINGS.map((f) => html`<th>${L(`finding.${f}`)}</th>`)}</tr></thead>
<tbody>${r.staff.map(
        (s) =>
          html`<tr data-staff="${s.staffId}"><td><a href="${href('/dashboard/conduct', locale, { staff: s.staffId, month: r.month })}">${name(s.staffId)}</a></td><td>${branchName(org, s.branchId, locale)}</td>${CONDUCT_FINDINGS.map(
            (f) => html`<td class="count" data-finding="${f}">${s.counts[f]}</td>`,
          )}</tr>`,
      )}</tbody></table></div>
${r.staff.map(
  (s) => html`<h2 id="staff-${s.staffId}">${name(s.staffId)}</h2>
<ul class="conduct-findings" data-staff="${s.staffId}">${s.findings.map(
    (f) =>
      html`<li data-ticket="${f.ticketNumber}"><a href="${href(`/dashboard/tickets/${f.ticketNumber}`, locale)}">${f.ticketNumber}</a> · ${formatMinute(f.foundAt)} · ${L(`finding.${f.finding}`)} · ${L(`consequence.${f.consequence}`)} · ${L('found_by')} ${org.staff.get(f.foundBy.replace(/^staff:/, ''))?.name ?? f.foundBy}</li>`,
  )}</ul>`,
)}`
    : html`<p class="empty" id="conduct-none">${L('none')}</p>`
}`;
}
