/**
 * Fires the stored alerts that are due (deadline warnings, overdue, escalation, callback
 * time-outs, scheduled reports). Exactly once across restarts and instances: a row is claimed
 * with a lease, and its firedAt is set in the same transaction as the messages it causes, on
 * the condition that nobody set it first. A killed instance's claimed rows fire after the lease.
 * The query reads only due rows through the (firedAt, dueAt) index, so its cost follows the
 * number of due alerts, not the size of the tables.
 */
import type { Core } from '../context.js';
import { applyAlert, applyDeadlineAlerts, isDeadlineAlert } from './alert-effects.js';
import type { ScheduledAlert } from '../../db/generated/sqlite/client.js';

export interface SweepResult {
  fired: number;
  skipped: number;
}

export async function fireDueAlerts(core: Core, owner: string, opts: { batch?: number; leaseMs?: number } = {}): Promise<SweepResult> {
  const now = core.clock.now();
  const batch = opts.batch ?? 500;
  const leaseUntil = new Date(now.getTime() + (opts.leaseMs ?? 60_000));
  const due = await core.db.scheduledAlert.findMany({
    where: { firedAt: null, dueAt: { lte: now }, OR: [{ leaseUntil: null }, { leaseUntil: { lte: now } }] },
    orderBy: { dueAt: 'asc' },
    take: batch,
    select: { id: true },
  });
  if (!due.length) return { fired: 0, skipped: 0 };
  // One statement claims the batch; rows another instance claimed in between are not ours.
  await core.db.scheduledAlert.updateMany({
    where: { id: { in: due.map((d) => d.id) }, firedAt: null, OR: [{ leaseUntil: null }, { leaseUntil: { lte: now } }] },
    data: { leaseOwner: owner, leaseUntil },
  });
  const mine = await core.db.scheduledAlert.findMany({
    where: { id: { in: due.map((d) => d.id) }, leaseOwner: owner, firedAt: null },
    orderBy: { dueAt: 'asc' },
  });
  let fired = 0;
  let skipped = 0;
  const deadlineAlerts = mine.filter(isDeadlineAlert);
  const batched = deadlineAlerts.length > 0 && (await fireBatch(core, owner, deadlineAlerts, now));
  if (batched) fired += deadlineAlerts.length;
  // the rest one by one (and the deadline alerts too if a row of the batch was taken meanwhile)
  for (const alert of batched ? mine.filter((a) => !isDeadlineAlert(a)) : mine) {
    const done = await core.db.$transaction(async (tx) => {
      const res = await tx.scheduledAlert.updateMany({ where: { id: alert.id, leaseOwner: owner, firedAt: null }, data: { firedAt: now } });
      if (res.count !== 1) return false;
      await applyAlert(core, tx, alert, now);
      return true;
    });
    if (done) fired++;
    else skipped++;
  }
  return { fired, skipped };
}

class LostClaim extends Error {}

/** Fires a batch in one transaction; false (nothing stored) if any row was taken meanwhile. */
async function fireBatch(core: Core, owner: string, alerts: ScheduledAlert[], now: Date): Promise<boolean> {
  try {
    await core.db.$transaction(async (tx) => {
      const res = await tx.scheduledAlert.updateMany({ where: { id: { in: alerts.map((a) => a.id) }, leaseOwner: owner, firedAt: null }, data: { firedAt: now } });
      if (res.count !== alerts.length) throw new LostClaim();
      await applyDeadlineAlerts(core, tx, alerts, now);
    });
    return true;
  } catch (e) {
    if (e instanceof LostClaim) return false;
    throw e;
  }
}

/** When the next stored alert falls due (for the scheduler's next wake-up), or null. */
export async function nextAlertDue(core: Core): Promise<Date | null> {
  const next = await core.db.scheduledAlert.findFirst({ where: { firedAt: null }, orderBy: { dueAt: 'asc' }, select: { dueAt: true } });
  return next?.dueAt ?? null;
}
