/**
 * What /kpi and the monthly report add for a closed month (R29, R30): that the figures are the
 * frozen ones, when and by whom they were frozen, and the adjustments made since, with who,
 * when, what and why. A live range that overlaps closed months says so.
 */
import type { Core } from '../../core/context.js';
import type { KpiReading } from '../../core/kpi/read-kpis.js';
import { formatMinute } from '../../core/local-time.js';
import type { KpiAdjustment } from '../../core/model.js';
import { t, type Locale } from '../../i18n/index.js';
import type { SlackBlock } from './kpi-blocks.js';

/** The longest adjustment list in a Slack answer; the dashboard and the API have the rest. */
const ADJUSTMENT_LINES = 15;

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const escMd = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Who closed or changed: a staff member's name, the system, an API client, a resident. */
export function whoText(core: Pick<Core, 'org'>, locale: Locale, actor: string): string {
  if (actor === 'system') return t(locale, 'kpi.closed.system');
  if (actor.startsWith('staff:')) return core.org.staff.get(actor.slice(6))?.name ?? actor.slice(6);
  return actor;
}

/** A typed reason as written; an automatic one (auto:callback) in words. */
export function reasonText(locale: Locale, reason: string): string {
  return reason.startsWith('auto:') ? t(locale, `kpi.closed.auto.${reason.slice(5)}`) : reason;
}

/** The ticket number an adjustment's data names. */
export function adjustmentNumber(a: KpiAdjustment): string {
  try {
    return String((JSON.parse(a.data ?? '{}') as { number?: string }).number ?? `#${a.ticketId}`);
  } catch {
    return `#${a.ticketId}`;
  }
}

/** The line under the header: frozen (when, by whom), or the closed months a live range overlaps. */
export function frozenContext(core: Pick<Core, 'org'>, locale: Locale, reading: KpiReading): SlackBlock[] {
  const f = reading.frozen;
  if (f)
    return [
      {
        type: 'context',
        elements: [mrkdwn(`:lock: ${t(locale, 'kpi.closed.frozen', { closedAt: formatMinute(f.closedAt), who: whoText(core, locale, f.closedBy) })}`)],
      },
    ];
  if (reading.overlapsClosed.length)
    return [{ type: 'context', elements: [mrkdwn(t(locale, 'kpi.closed.overlaps', { months: reading.overlapsClosed.join(', ') }))] }];
  return [];
}

/** The adjustments of a closed month, oldest first; nothing for a live period. */
export function adjustmentsBlocks(core: Pick<Core, 'org'>, locale: Locale, reading: KpiReading): SlackBlock[] {
  const f = reading.frozen;
  if (!f) return [];
  const C = (k: string, v: Record<string, string | number | null> = {}) => t(locale, `kpi.closed.${k}`, v);
  const lines = f.adjustments.slice(0, ADJUSTMENT_LINES).map((a) =>
    C('adjustment_line', {
      at: formatMinute(a.at),
      number: adjustmentNumber(a),
      action: C(`action.${a.action}`),
      who: whoText(core, locale, a.actor),
      reason: escMd(reasonText(locale, a.reason)),
    }),
  );
  if (!lines.length) lines.push(C('adjustments_none'));
  else if (f.adjustments.length > lines.length) lines.push(C('more', { n: f.adjustments.length - lines.length, total: f.adjustments.length }));
  const title = `*${C('adjustments_title')}* · ${C('adjustments_count', { total: f.adjustments.length })}`;
  return [{ type: 'divider' }, { type: 'section', text: mrkdwn(`${title}\n${lines.join('\n')}`.slice(0, 3000)) }];
}
