/** Open and overdue tickets, and one ticket's timeline (R8g: every step to the minute). */
import type { TicketWithTimeline } from '../../core/tickets/get-ticket.js';
import { formatMinute } from '../../core/local-time.js';
import type { Org } from '../../core/org/org.js';
import { OPERATOR_CLIENT } from '../../core/org/types.js';
import { clientIdOf, onBehalfOf } from '../../core/tickets/event-actor.js';
import type { Ticket } from '../../core/model.js';
import { t, type Locale } from '../../i18n/index.js';
import { cityRequestFacts } from './city-request-facts.js';
import { branchName } from './format.js';
import { href, html, type Markup } from './html.js';

const when = (d: Date | null | undefined) => (d ? formatMinute(d) : '—');

/** Who did it; for an API client, with the staff member it acted for (onBehalfOf, event-actor.ts). */
export function actorName(org: Org, locale: Locale, actor: string, onBehalf?: string): string {
  if (onBehalf) return t(locale, 'kpi.dashboard.actor_on_behalf', { client: actorName(org, locale, actor), staff: actorName(org, locale, onBehalf) });
  if (actor.startsWith('staff:')) return org.staff.get(actor.slice(6))?.name ?? actor.slice(6);
  if (actor.startsWith('resident:')) return t(locale, 'kpi.dashboard.actor_resident', { id: actor.slice(9) });
  if (actor === 'system') return t(locale, 'kpi.dashboard.actor_system');
  const client = clientIdOf(actor);
  if (client === OPERATOR_CLIENT) return t(locale, 'kpi.dashboard.actor_operator');
  if (client !== undefined) return t(locale, 'kpi.dashboard.actor_api', { name: org.apiClients.get(client)?.name ?? client });
  return actor;
}

export interface TicketListInput {
  org: Org;
  locale: Locale;
  branch?: string;
  /** the branches the selector offers: those the person sees */
  branches: string[];
  /** whether the person may choose every branch at once */
  allBranches: boolean;
  overdueOnly: boolean;
  items: Ticket[];
  total: number;
  overdue: Set<string>;
  overdueTotal: number;
}

export function ticketListPage(i: TicketListInput): Markup {
  const L = (k: string, v = {}) => t(i.locale, `kpi.dashboard.${k}`, v);
  return html`
<form class="filters" method="get" action="/dashboard/tickets">
  <label>${L('branch')}
    <select name="branch">${i.allBranches ? html`<option value="">${L('branch_all')}</option>` : ''}${i.branches.map(
      (id) => html`<option value="${id}" ${id === i.branch ? html`selected` : ''}>${branchName(i.org, id, i.locale)}</option>`,
    )}</select>
  </label>
  <label class="check"><input type="checkbox" name="overdue" value="1" ${i.overdueOnly ? html`checked` : ''}> ${L('overdue_only')}</label>
  ${i.locale !== 'zh-CN' ? html`<input type="hidden" name="lang" value="${i.locale}">` : ''}
  <button type="submit">${L('apply')}</button>
</form>
<h1>${L('open_title')}</h1>
<p class="muted" id="ticket-count">${L('shown', { shown: i.items.length, total: i.total })} · ${L('overdue_count', { count: i.overdueTotal })}</p>
${
  i.items.length === 0
    ? html`<p class="empty">${L('none')}</p>`
    : html`<div class="table-wrap"><table class="tickets" id="ticket-table">
  <thead><tr><th>${L('col_number')}</th><th>${L('col_created')}</th><th>${L('col_branch')}</th><th>${L('col_kind')}</th><th>${L('col_category')}</th><th>${L('col_status')}</th><th>${L('col_due')}</th><th>${L('col_address')}</th></tr></thead>
  <tbody>${i.items.map((tk) => {
    const late = i.overdue.has(tk.number);
    return html`<tr class="${late ? 'overdue' : ''}" data-number="${tk.number}">
      <td><a href="${href(`/dashboard/tickets/${tk.number}`, i.locale)}">${tk.number}</a></td>
      <td>${when(tk.createdAt)}</td>
      <td>${branchName(i.org, tk.branchId, i.locale)}</td>
      <td>${t(i.locale, `common.kind.${tk.kind}`)}</td>
      <td>${t(i.locale, `common.category.${tk.category}`)}</td>
      <td>${t(i.locale, `common.status.${tk.status}`)}${late ? html` <span class="flag">${L('overdue')}</span>` : ''}</td>
      <td>${when(tk.resolveDueAt)}</td>
      <td>${tk.address ?? ''}</td>
    </tr>`;
  })}</tbody></table></div>`
}`;
}

export function ticketPage(org: Org, locale: Locale, tk: TicketWithTimeline): Markup {
  const L = (k: string, v = {}) => t(locale, `kpi.dashboard.${k}`, v);
  const c = (ns: string, v: string | null) => (v ? t(locale, `common.${ns}.${v}`) : '—');
  return html`
<p><a href="${href('/dashboard/tickets', locale)}">← ${L('back')}</a></p>
<h1>${L('ticket_title', { number: tk.number })}</h1>
<dl class="facts">
  <dt>${L('col_status')}</dt><dd id="ticket-status">${c('status', tk.status)}</dd>
  <dt>${L('col_kind')}</dt><dd>${c('kind', tk.kind)} · ${c('category', tk.category)} · ${c('scope', tk.scope)} · ${c('severity', tk.severity)}</dd>
  <dt>${L('col_branch')}</dt><dd>${branchName(org, tk.branchId, locale)}</dd>
  <dt>${L('first_responder')}</dt><dd>${actorName(org, locale, tk.firstResponder)}</dd>
  <dt>${L('col_created')}</dt><dd>${when(tk.createdAt)}</dd>
  <dt>${L('col_due')}</dt><dd>${when(tk.resolveDueAt)}</dd>
  <dt>${L('col_address')}</dt><dd>${tk.address ?? '—'}</dd>
  <dt>${L('description')}</dt><dd>${tk.description}</dd>
  ${cityRequestFacts(org, locale, tk, tk.cityRequest)}
</dl>
<h2>${L('timeline')}</h2>
<ol class="timeline" id="timeline">${tk.events.map(
    (e) => html`<li data-type="${e.type}"><time datetime="${e.at.toISOString()}">${formatMinute(e.at)}</time>
      <strong>${t(locale, `kpi.event.${e.type}`)}</strong>
      <span class="who">${actorName(org, locale, e.actor, onBehalfOf(e.data))}</span>
      ${e.toStatus && e.toStatus !== e.fromStatus ? html`<span class="status">→ ${c('status', e.toStatus)}</span>` : ''}
      ${e.note ? html`<span class="note">${e.note}</span>` : ''}</li>`,
  )}</ol>
${
  tk.callbacks.length
    ? html`<h2>${L('callbacks')}</h2><ul class="callbacks">${tk.callbacks.map(
        (cb) =>
          html`<li>${when(cb.answeredAt ?? cb.createdAt)} · ${t(locale, `kpi.callback_status.${cb.status}`)}${cb.result ? html` · <strong>${c('satisfaction', cb.result)}</strong>` : ''}${cb.comment ? html` · ${cb.comment}` : ''}</li>`,
      )}</ul>`
    : ''
}
${tk.form ? html`<h2>${L('form')}</h2><p>${tk.form.workDone}${tk.form.materials ? html` · ${tk.form.materials}` : ''}</p>` : ''}`;
}
