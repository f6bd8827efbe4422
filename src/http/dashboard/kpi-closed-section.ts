/**
 * The dashboard's KPI page for a closed month (R29, R30): a note that the figures are frozen
 * (when, by whom) above the table, and the adjustments since beside it, each with the ticket,
 * branch, change, who and why. A live range that overlaps closed months says so.
 */
import type { KpiReading } from '../../core/kpi/read-kpis.js';
import { formatMinute } from '../../core/local-time.js';
import type { Org } from '../../core/org/org.js';
import { t, type Locale } from '../../i18n/index.js';
import { adjustmentsJson } from '../routes/kpi-closed-json.js';
import { href, html, type Markup } from './html.js';
import { actorName } from './ticket-pages.js';

export function frozenNote(org: Org, locale: Locale, reading: KpiReading | undefined): Markup | string {
  const f = reading?.frozen;
  if (f) {
    return html`<p class="frozen" id="frozen" role="note">${t(locale, 'kpi.closed.frozen', { closedAt: formatMinute(f.closedAt), who: actorName(org, locale, f.closedBy) })}</p>`;
  }
  if (reading?.overlapsClosed.length)
    return html`<p class="muted" id="overlaps-closed">${t(locale, 'kpi.closed.overlaps', { months: reading.overlapsClosed.join(', ') })}</p>`;
  return '';
}

export function adjustmentsSection(org: Org, locale: Locale, reading: KpiReading | undefined): Markup | string {
  if (!reading?.frozen) return '';
  const C = (k: string, v: Record<string, string | number> = {}) => t(locale, `kpi.closed.${k}`, v);
  const items = adjustmentsJson(org, reading, locale);
  const rows = items.map(
    (a) => html`<tr data-action="${a.action}">
      <td>${formatMinute(a.at)}</td>
      <td>${a.number ? html`<a href="${href(`/dashboard/tickets/${a.number}`, locale)}">${a.number}</a>` : '—'}</td>
      <td>${a.branchName}</td>
      <td>${a.actionName}</td>
      <td>${a.actorName}</td>
      <td class="reason">${a.reasonText}</td>
    </tr>`,
  );
  return html`<section id="adjustments">
  <h2>${C('adjustments_title')}</h2>
  <p class="muted">${C('adjustments_count', { total: items.length })}</p>
  ${
    items.length
      ? html`<div class="table-wrap"><table class="adjustments">
    <thead><tr>${(['at', 'number', 'branch', 'action', 'who', 'reason'] as const).map((k) => html`<th>${C(`col.${k}`)}</th>`)}</tr></thead>
    <tbody>${rows}</tbody>
  </table></div>`
      : html`<p>${C('adjustments_none')}</p>`
  }
</section>`;
}
