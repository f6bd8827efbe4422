/**
 * The dashboard's incidents (一个换热站故障，一个事件): the open ones first, with the communities and
 * stations they cover, how many reports are linked, how long they have been open and when heat
 * is expected back (flagged once that time has passed); then the recently restored ones, with
 * how long they lasted. A page per incident holds its timeline and its linked reports, each a
 * link to the ticket's page. A branch sees the incidents that cover any of its communities,
 * like its tickets (core/staff/dashboard-scope.ts); the home page carries a banner while one is open.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/context.js';
import { isAppError } from '../../core/errors.js';
import { getIncident, type IncidentView } from '../../core/incidents/get-incident.js';
import { listIncidents } from '../../core/incidents/list-incidents.js';
import { formatMinute } from '../../core/local-time.js';
import type { Incident } from '../../core/model.js';
import type { Org } from '../../core/org/org.js';
import type { DashboardScope } from '../../core/staff/dashboard-scope.js';
import { t, type Locale } from '../../i18n/index.js';
import { branchName } from './format.js';
import { href, html, type Markup } from './html.js';
import { actorName } from './ticket-pages.js';

/** The open incidents a page lists at most (a city has a handful at its worst). */
const OPEN_SHOWN = 100;
/** Restored incidents shown below the open ones. */
const RESTORED_SHOWN = 20;
/** Linked reports listed on an incident's page (the count says how many there are in all). */
const LINKED_SHOWN = 500;

/** What the routes hand in from dashboard-routes.ts. */
export interface IncidentPagesView {
  core: Core;
  scopeOf(req: FastifyRequest): DashboardScope;
  localeOf(req: FastifyRequest): Locale;
  send(req: FastifyRequest, reply: FastifyReply, locale: Locale, f: { title: string; current?: 'incidents' }, body: Markup): FastifyReply;
}

/** Whether the person's scope covers an incident: every branch, or one of the incident's. */
export function seesIncident(scope: DashboardScope, i: Pick<Incident, 'branchIds'>): boolean {
  return scope.branchId === null || i.branchIds.includes(scope.branchId);
}

/** The open incidents a scope sees, newest first. */
async function openIncidents(core: Core, scope: DashboardScope): Promise<Incident[]> {
  const { incidents } = await listIncidents(core, { status: 'open', take: OPEN_SHOWN });
  return incidents.filter((i) => seesIncident(scope, i));
}

export function registerIncidentPages(pages: FastifyInstance, v: IncidentPagesView): void {
  const { core } = v;
  pages.get('/dashboard/incidents', { schema: { hide: true } }, async (req, reply) => {
    const locale = v.localeOf(req);
    const scope = v.scopeOf(req);
    const [open, restored] = await Promise.all([
      openIncidents(core, scope),
      // a branch's own among the company's latest: another branch's are filtered out here
      listIncidents(core, { status: 'restored', take: RESTORED_SHOWN * 5 }).then((r) => r.incidents.filter((i) => seesIncident(scope, i))),
    ]);
    return v.send(
      req,
      reply,
      locale,
      { title: t(locale, 'dashboard.incidents.title'), current: 'incidents' },
      incidentListPage(core.org, locale, core.clock.now(), open, restored.slice(0, RESTORED_SHOWN)),
    );
  });

  pages.get<{ Params: { number: string } }>('/dashboard/incidents/:number', { schema: { hide: true } }, async (req, reply) => {
    const locale = v.localeOf(req);
    const incident = await getIncident(core, req.params.number.slice(0, 32), { take: LINKED_SHOWN, skip: 0 }).catch((e: unknown) => {
      if (isAppError(e, 'incident_not_found')) return null;
      throw e;
    });
    // another branch's incident is answered as one that does not exist, as its tickets are
    if (!incident || !seesIncident(v.scopeOf(req), incident)) {
      reply.status(404);
      return v.send(
        req,
        reply,
        locale,
        { title: t(locale, 'dashboard.incidents.not_found'), current: 'incidents' },
        html`<p><a href="${href('/dashboard/incidents', locale)}">← ${t(locale, 'dashboard.incidents.back')}</a></p><p class="empty">${t(locale, 'dashboard.incidents.not_found')}</p>`,
      );
    }
    return v.send(
      req,
      reply,
      locale,
      { title: t(locale, 'dashboard.incidents.detail_title', { number: incident.number }), current: 'incidents' },
      incidentPage(core.org, locale, core.clock.now(), incident),
    );
  });
}

/** The home page's banner while an incident the person sees is open; nothing otherwise. */
export async function incidentBanner(core: Core, scope: DashboardScope, locale: Locale): Promise<Markup> {
  const open = await openIncidents(core, scope);
  if (!open.length) return html``;
  const L = (k: string, vars = {}) => t(locale, `dashboard.incidents.${k}`, vars);
  const [one] = open;
  const text =
    open.length === 1
      ? L('banner_one', { number: one.number, cause: one.cause, communities: communityNames(core.org, locale, one).join('、'), count: one.linkedCount })
      : L('banner_many', { count: open.length });
  return html`<p class="error" role="status" id="incident-banner">${text} <a href="${href(open.length === 1 ? `/dashboard/incidents/${one.number}` : '/dashboard/incidents', locale)}">${L('banner_link')}</a></p>`;
}

const when = (d: Date | null) => (d ? formatMinute(d) : '—');

/** 3 小时 20 分: a span as a person reads it. */
function spanText(locale: Locale, ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const L = (k: string, vars: Record<string, number>) => t(locale, `dashboard.incidents.${k}`, vars);
  if (minutes < 60) return L('minutes', { minutes });
  if (minutes < 48 * 60) return L('hours_minutes', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
  return L('days_hours', { days: Math.floor(minutes / 1440), hours: Math.floor((minutes % 1440) / 60) });
}

/** The communities by name; one removed from the organisation file since keeps its id, marked. */
function communityNames(org: Org, locale: Locale, i: Incident): string[] {
  return i.communityIds.map((id) => {
    const c = org.communities.get(id);
    return c ? c.name : `${id}${t(locale, 'dashboard.incidents.removed_community')}`;
  });
}

const branchNames = (org: Org, locale: Locale, i: Incident) => i.branchIds.map((b) => branchName(org, b, locale)).join('、');

function expectedCell(locale: Locale, now: Date, i: Incident): Markup {
  if (!i.expectedAt) return html`<span class="muted">${t(locale, 'dashboard.incidents.expected_unknown')}</span>`;
  const past = i.status === 'open' && i.expectedAt.getTime() < now.getTime();
  return html`${when(i.expectedAt)}${past ? html` <span class="flag">${t(locale, 'dashboard.incidents.expected_past')}</span>` : ''}`;
}

export function incidentListPage(org: Org, locale: Locale, now: Date, open: Incident[], restored: Incident[]): Markup {
  const L = (k: string, vars = {}) => t(locale, `dashboard.incidents.${k}`, vars);
  const link = (i: Incident) => html`<a href="${href(`/dashboard/incidents/${i.number}`, locale)}">${i.number}</a>`;
  return html`
<h1>${L('open_title')}</h1>
${
  open.length === 0
    ? html`<p class="empty" id="no-open-incident">${L('none_open')}</p>`
    : html`<div class="table-wrap"><table class="tickets" id="open-incidents">
  <thead><tr><th>${L('col_number')}</th><th>${L('col_scope')}</th><th>${L('col_cause')}</th><th>${L('col_communities')}</th><th>${L('col_stations')}</th><th>${L('col_linked')}</th><th>${L('col_elapsed')}</th><th>${L('col_expected')}</th><th>${L('col_branches')}</th></tr></thead>
  <tbody>${open.map(
    (i) => html`<tr class="${i.expectedAt && i.expectedAt < now ? 'overdue' : ''}" data-number="${i.number}">
      <td>${link(i)}${i.severity === 'major' ? html` <span class="flag">${L('severity.major')}</span>` : ''}</td>
      <td>${L(`scope.${i.scope}`)}</td>
      <td>${i.cause}</td>
      <td>${communityNames(org, locale, i).join('、')}</td>
      <td>${i.stationIds.join('、') || '—'}</td>
      <td data-linked>${i.linkedCount}</td>
      <td>${spanText(locale, now.getTime() - i.declaredAt.getTime())}</td>
      <td data-expected>${expectedCell(locale, now, i)}</td>
      <td>${branchNames(org, locale, i)}</td>
    </tr>`,
  )}</tbody></table></div>`
}
<h2>${L('restored_title')}</h2>
${
  restored.length === 0
    ? html`<p class="empty">${L('none_restored')}</p>`
    : html`<div class="table-wrap"><table class="tickets" id="restored-incidents">
  <thead><tr><th>${L('col_number')}</th><th>${L('col_cause')}</th><th>${L('col_communities')}</th><th>${L('col_declared')}</th><th>${L('col_restored')}</th><th>${L('col_duration')}</th><th>${L('col_linked')}</th><th>${L('col_branches')}</th></tr></thead>
  <tbody>${restored.map(
    (i) => html`<tr data-number="${i.number}">
      <td>${link(i)}</td>
      <td>${i.cause}</td>
      <td>${communityNames(org, locale, i).join('、')}</td>
      <td>${when(i.declaredAt)}</td>
      <td>${when(i.restoredAt)}</td>
      <td>${i.restoredAt ? spanText(locale, i.restoredAt.getTime() - i.declaredAt.getTime()) : '—'}</td>
      <td data-linked>${i.linkedCount}</td>
      <td>${branchNames(org, locale, i)}</td>
    </tr>`,
  )}</tbody></table></div>`
}`;
}

export function incidentPage(org: Org, locale: Locale, now: Date, i: IncidentView): Markup {
  const { linked, timeline: events } = i;
  const L = (k: string, vars = {}) => t(locale, `dashboard.incidents.${k}`, vars);
  const until = i.restoredAt ?? now;
  return html`
<p><a href="${href('/dashboard/incidents', locale)}">← ${L('back')}</a></p>
<h1>${L('detail_title', { number: i.number })}</h1>
<dl class="facts">
  <dt>${t(locale, 'kpi.dashboard.col_status')}</dt><dd id="incident-status">${L(`status.${i.status}`)}</dd>
  <dt>${L('col_scope')}</dt><dd>${L(`scope.${i.scope}`)} · ${L(`severity.${i.severity}`)}</dd>
  <dt>${L('col_cause')}</dt><dd>${i.cause}</dd>
  <dt>${L('col_communities')}</dt><dd>${communityNames(org, locale, i).join('、')}</dd>
  <dt>${L('col_stations')}</dt><dd>${i.stationIds.join('、') || '—'}</dd>
  <dt>${L('col_branches')}</dt><dd>${branchNames(org, locale, i)}</dd>
  <dt>${L('col_declared')}</dt><dd>${when(i.declaredAt)} · ${actorName(org, locale, i.declaredBy)}</dd>
  <dt>${L('col_expected')}</dt><dd id="incident-expected">${expectedCell(locale, now, i)}</dd>
  <dt>${L('col_due')}</dt><dd>${when(i.resolveDueAt)}</dd>
  ${i.restoredAt ? html`<dt>${L('col_restored')}</dt><dd>${when(i.restoredAt)}${i.restoredBy ? html` · ${actorName(org, locale, i.restoredBy)}` : ''}</dd>` : ''}
  <dt>${i.restoredAt ? L('col_duration') : L('col_elapsed')}</dt><dd>${spanText(locale, until.getTime() - i.declaredAt.getTime())}</dd>
  <dt>${L('col_linked')}</dt><dd id="incident-linked">${i.linkedCount}</dd>
</dl>
<h2>${L('timeline')}</h2>
<ol class="timeline" id="incident-timeline">${events.map(
    (e) => html`<li data-type="${e.type}"><time datetime="${e.at.toISOString()}">${formatMinute(e.at)}</time>
      <strong>${L(`event.${e.type}`)}</strong>
      <span class="who">${actorName(org, locale, e.actor)}</span>
      ${e.note ? html`<span class="note">${e.note}</span>` : ''}</li>`,
  )}</ol>
<h2>${L('linked_title', { count: i.linkedCount })}</h2>
${linked.length < i.linkedCount ? html`<p class="muted">${L('linked_shown', { shown: linked.length, total: i.linkedCount })}</p>` : ''}
${
  linked.length === 0
    ? html`<p class="empty">—</p>`
    : html`<div class="table-wrap"><table class="tickets" id="linked-tickets">
  <thead><tr><th>${t(locale, 'kpi.dashboard.col_number')}</th><th>${t(locale, 'kpi.dashboard.col_created')}</th><th>${t(locale, 'kpi.dashboard.col_status')}</th><th>${t(locale, 'kpi.dashboard.col_address')}</th></tr></thead>
  <tbody>${linked.map(
    (tk) => html`<tr data-number="${tk.number}">
      <td><a href="${href(`/dashboard/tickets/${tk.number}`, locale)}">${tk.number}</a></td>
      <td>${when(tk.createdAt)}</td>
      <td>${t(locale, `common.status.${tk.status}`)}</td>
      <td>${tk.address ?? ''}</td>
    </tr>`,
  )}</tbody></table></div>`
}`;
}
