/**
 * Fires the stored alerts that are due (deadline warnings, overdue, escalation, callback
 * time-outs, scheduled reports, quote expiries). Exactly once across restarts and instances: a sweep claims due
 * rows with a lease, decides what firing them means, and stores that in the transaction that
 * marks them fired, on the condition that they are still unfired and its own. A killed
 * instance's claimed rows fire after the lease. The claim reads only due rows through the
 * (firedAt, dueAt) index, so its cost follows the number of due alerts, not the size of the tables.
 */
import type { Core } from '../context.js';
import type { DueAlert } from '../ports/alert-store.js';
import { isDeadlineAlert, planCallbackAlert, planDeadlineAlerts } from './alert-effects.js';
import { buildReport } from '../reports/build-report.js';
import { readDutyState } from '../duty/on-duty-now.js';
import { expireQuote } from '../quotes/expire-quote.js';

export interface SweepResult {
  fired: number;
  skipped: number;
}

type SweepCore = Pick<Core, 'stores' | 'org' | 'clock'>;

export async function fireDueAlerts(core: SweepCore, owner: string, opts: { batch?: number; leaseMs?: number } = {}): Promise<SweepResult> {
  const { alerts } = core.stores;
  const now = core.clock.now();
  const leaseUntil = new Date(now.getTime() + (opts.leaseMs ?? 60_000));
  const mine = await alerts.claimDue(owner, now, leaseUntil, opts.batch ?? 1000);
  if (!mine.length) return { fired: 0, skipped: 0 };
  let fired = 0;
  let skipped = 0;
  // A cold snap makes thousands of deadline alerts due at once: they fire as one batch, each
  // table written by one statement. Should one of the batch have been taken meanwhile (our lease
  // ran out), nothing of the batch is stored and they go one by one like the others.
  const deadlineAlerts = mine.filter((d) => isDeadlineAlert(d.alert));
  // who is on duty is read once for the batch's branches (duty moved by handovers), not per alert
  const duty = deadlineAlerts.length ? await readDutyState(core, [null, ...deadlineAlerts.map((d) => d.ticket?.branchId ?? null)], now) : null;
  const batched = duty !== null && (await alerts.fire(owner, now, planDeadlineAlerts(core.org, deadlineAlerts, now, duty)));
  if (batched) fired += deadlineAlerts.length;
  for (const due of batched ? mine.filter((d) => !isDeadlineAlert(d.alert)) : mine) {
    if (await alerts.fire(owner, now, await planOne(core, due, now))) fired++;
    else skipped++;
  }
  return { fired, skipped };
}

async function planOne(core: SweepCore, { alert, ticket, deadline }: DueAlert, now: Date) {
  if (alert.kind.startsWith('report_')) return buildReport(core, alert, now);
  // R16: a quote's validity ended
  if (alert.kind.startsWith('quote_')) return expireQuote(core, alert, now);
  if (alert.kind.startsWith('callback_')) {
    const { callbackId } = JSON.parse(alert.data ?? '{}') as { callbackId: number };
    const duty = alert.kind === 'callback_overdue' ? await readDutyState(core, [null], now) : undefined;
    return planCallbackAlert(core.org, alert, await core.stores.views.callbackById(callbackId), now, deadline, ticket?.residentChatId, duty);
  }
  return planDeadlineAlerts(core.org, [{ alert, ticket, deadline }], now, await readDutyState(core, [null, ticket?.branchId ?? null], now));
}

/** When the next stored alert falls due (for the scheduler's next wake-up), or null. */
export function nextAlertDue(core: Pick<Core, 'stores'>): Promise<Date | null> {
  return core.stores.alerts.nextDue();
}
