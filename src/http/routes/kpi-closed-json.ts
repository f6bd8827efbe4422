/**
 * What GET /api/kpi and /api/kpi.csv add for a closed month (R29, R30): the figures are the
 * frozen snapshot's, with when and by whom it was frozen, each adjustment since (who, when,
 * what, why, the ticket) and the count of adjustments per branch; a live range names the closed
 * months it overlaps.
 */
import type { KpiReading } from '../../core/kpi/read-kpis.js';
import { formatMinute } from '../../core/local-time.js';
import type { Org } from '../../core/org/org.js';
import { t, type Locale } from '../../i18n/index.js';
import { branchName } from '../dashboard/format.js';
import { actorName } from '../dashboard/ticket-pages.js';

type Cell = string | number | null;

/** A typed reason as written; an automatic one (auto:callback) in words. */
export function reasonWords(locale: Locale, reason: string): string {
  return reason.startsWith('auto:') ? t(locale, `kpi.closed.auto.${reason.slice(5)}`) : reason;
}

function parsed(data: string | null): Record<string, unknown> {
  try {
    return data ? (JSON.parse(data) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The adjustments with their words: the ticket's number, branch, who and the reason in words. */
export function adjustmentsJson(org: Org, reading: KpiReading, locale: Locale) {
  return (reading.frozen?.adjustments ?? []).map((a) => {
    const data = parsed(a.data);
    return {
      ...a,
      data,
      number: typeof data.number === 'string' ? data.number : null,
      branchName: branchName(org, a.branchId, locale),
      // a change an API client sent for a staff member names both, as the timeline does
      actorName: typeof data.via === 'string' ? actorName(org, locale, data.via, a.actor) : actorName(org, locale, a.actor),
      actionName: t(locale, `kpi.closed.action.${a.action}`),
      reasonText: reasonWords(locale, a.reason),
    };
  });
}

export function closedJson(org: Org, reading: KpiReading, locale: Locale) {
  const f = reading.frozen;
  return {
    frozen: f && {
      periodKey: f.periodKey,
      closedAt: f.closedAt,
      closedBy: f.closedBy,
      closedByName: actorName(org, locale, f.closedBy),
      adjustments: adjustmentsJson(org, reading, locale),
      adjustedByBranch: f.adjustedByBranch.map((b) => ({ ...b, branchName: branchName(org, b.branchId, locale) })),
    },
    overlapsClosed: reading.overlapsClosed,
  };
}

/** Lines under the CSV's figures: frozen (when, by whom) and each adjustment; or the closed months a live range overlaps. */
export function closedCsvLines(org: Org, reading: KpiReading, locale: Locale): Cell[][] {
  const f = reading.frozen;
  if (!f) return reading.overlapsClosed.length ? [[], [t(locale, 'kpi.closed.overlaps', { months: reading.overlapsClosed.join(', ') })]] : [];
  const C = (k: string) => t(locale, `kpi.closed.col.${k}`);
  const lines: Cell[][] = [[], [t(locale, 'kpi.closed.frozen_short', { closedAt: formatMinute(f.closedAt), who: actorName(org, locale, f.closedBy) })]];
  if (!f.adjustments.length) return [...lines, [t(locale, 'kpi.closed.adjustments_none')]];
  lines.push([t(locale, 'kpi.closed.adjustments_title')], [C('at'), C('number'), C('branch'), C('action'), C('who'), C('reason')]);
  for (const a of adjustmentsJson(org, reading, locale))
    lines.push([formatMinute(a.at), a.number ?? '', a.branchName, a.actionName, a.actorName, a.reasonText]);
  return lines;
}
