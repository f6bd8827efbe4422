/**
 * Fires the stored alerts that are due (deadline warnings, overdue, escalation, callback
 * time-outs, scheduled reports). Exactly once across restarts and instances: a row is claimed
 * with a lease, and its firedAt is set in the same transaction as the messages it causes, on
 * the condition that nobody set it first. A killed instance's claimed rows fire after the lease.
 * The query reads only due rows through the (firedAt, dueAt) index, so its cost follows the
 * number of due alerts, not the size of the tables.
 */
import type { Core } from '../context.js';
import { alertTicketColumns, applyAlert, applyDeadlineAlerts, isDeadlineAlert, planDeadlineAlerts, toAlertTicket, type AlertTicket } from './alert-effects.js';
import { sqliteDirect, type SqliteDirect } from '../../db/sqlite-direct.js';
import type { ScheduledAlert } from '../../db/generated/sqlite/client.js';
import { Params, toDate } from '../../db/sql.js';

export interface SweepResult {
  fired: number;
  skipped: number;
}

export async function fireDueAlerts(core: Core, owner: string, opts: { batch?: number; leaseMs?: number } = {}): Promise<SweepResult> {
  const now = core.clock.now();
  const leaseUntil = new Date(now.getTime() + (opts.leaseMs ?? 60_000));
  const limit = opts.batch ?? 1000;
  let fired = 0;
  let skipped = 0;
  let single: ScheduledAlert[];
  const direct = sqliteDirect(core.db);
  if (direct) {
    // SQLite: the deadline alerts of a batch fire in one synchronous transaction (it is the only
    // writer while it runs, so no lease is needed); the others are leased and done one by one.
    await direct.whenFree();
    const out = direct.transaction(() => fireSqliteBatch(core, direct, owner, now, leaseUntil, limit));
    fired += out.fired;
    single = out.others;
  } else {
    const mine = await claimDue(core, owner, now, leaseUntil, limit);
    if (!mine.length) return { fired: 0, skipped: 0 };
    const deadlineAlerts = mine.filter(isDeadlineAlert);
    const batched = deadlineAlerts.length > 0 && (await fireBatch(core, owner, deadlineAlerts, now));
    if (batched) fired += deadlineAlerts.length;
    // the rest one by one (and the deadline alerts too if a row of the batch was taken meanwhile)
    single = batched ? mine.filter((a) => !isDeadlineAlert(a)) : mine;
  }
  for (const alert of single) {
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

/**
 * Claims up to `limit` due rows with one statement and returns them. Raw SQL: with thousands
 * due, Prisma's per-parameter cost on IN lists dominated the sweep (measured in bench/sweep.ts).
 * PostgreSQL skips rows another instance is claiming at the same moment (SKIP LOCKED).
 */
async function claimDue(core: Core, owner: string, now: Date, leaseUntil: Date, limit: number): Promise<ScheduledAlert[]> {
  const p = new Params(core.provider);
  const lock = core.provider === 'postgresql' ? 'FOR UPDATE SKIP LOCKED' : '';
  // placeholders are added in the order they appear: SQLite's ? are positional
  const rows = await core.db.$queryRawUnsafe<Record<string, unknown>[]>(
    `UPDATE "ScheduledAlert" SET "leaseOwner" = ${p.add(owner)}, "leaseUntil" = ${p.add(leaseUntil)}
     WHERE "id" IN (SELECT "id" FROM "ScheduledAlert" WHERE "firedAt" IS NULL AND "dueAt" <= ${p.add(now)}
                    AND ("leaseUntil" IS NULL OR "leaseUntil" <= ${p.add(now)}) ORDER BY "dueAt" LIMIT ${p.add(limit)} ${lock})
       AND "firedAt" IS NULL AND ("leaseUntil" IS NULL OR "leaseUntil" <= ${p.add(now)})
     RETURNING "id", "key", "ticketId", "kind", "dueAt", "data"`,
    ...p.values,
  );
  return rows
    .map((r) => claimedAlert(r, owner, leaseUntil))
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id - b.id);
}

/** A due alert read back through raw SQL, as this sweep now holds it. */
function claimedAlert(r: Record<string, unknown>, owner: string, leaseUntil: Date): ScheduledAlert {
  return {
    id: Number(r.id),
    key: String(r.key),
    ticketId: r.ticketId === null ? null : Number(r.ticketId),
    kind: String(r.kind),
    dueAt: toDate(r.dueAt)!,
    data: (r.data as string | null) ?? null,
    firedAt: null,
    cancelledAt: null,
    leaseOwner: owner,
    leaseUntil,
  };
}

/**
 * One synchronous SQLite transaction: claim due rows, fire the deadline alerts, lease the rest.
 * Set-based: the due rows come with their tickets in one read, and each table is written with one
 * statement (ids and rows go in as JSON arrays), since a cold snap makes thousands due at once.
 */
function fireSqliteBatch(core: Core, direct: SqliteDirect, owner: string, now: Date, leaseUntil: Date, limit: number): { fired: number; others: ScheduledAlert[] } {
  const t = now.getTime();
  const rows = direct
    .stmt(
      `SELECT a."id", a."key", a."ticketId", a."kind", a."dueAt", a."data",
              ${alertTicketColumns('t_')}
       FROM "ScheduledAlert" a LEFT JOIN "Ticket" t ON t."id" = a."ticketId"
       WHERE a."firedAt" IS NULL AND a."dueAt" <= ? AND (a."leaseUntil" IS NULL OR a."leaseUntil" <= ?) ORDER BY a."dueAt" LIMIT ?`,
    )
    .all(t, t, limit) as Record<string, unknown>[];
  const deadlineAlerts: ScheduledAlert[] = [];
  const others: ScheduledAlert[] = [];
  const tickets = new Map<number, AlertTicket>();
  for (const r of rows) {
    const alert = claimedAlert(r, owner, leaseUntil);
    if (!isDeadlineAlert(alert)) {
      others.push(alert);
      continue;
    }
    deadlineAlerts.push(alert);
    if (r.t_id !== null && r.t_id !== undefined) tickets.set(Number(r.t_id), toAlertTicket(r, 't_'));
  }
  const ids = (xs: { id: number }[]) => JSON.stringify(xs.map((x) => x.id));
  if (deadlineAlerts.length) direct.stmt('UPDATE "ScheduledAlert" SET "firedAt" = ? WHERE "id" IN (SELECT value FROM json_each(?))').run(t, ids(deadlineAlerts));
  if (others.length) direct.stmt('UPDATE "ScheduledAlert" SET "leaseOwner" = ?, "leaseUntil" = ? WHERE "id" IN (SELECT value FROM json_each(?))').run(owner, leaseUntil.getTime(), ids(others));
  const fx = planDeadlineAlerts(core, deadlineAlerts, tickets, now);
  if (fx.overdue.length) {
    direct.stmt('UPDATE "Ticket" SET "overdueAt" = ? WHERE "id" IN (SELECT value FROM json_each(?)) AND "overdueAt" IS NULL').run(t, JSON.stringify(fx.overdue));
  }
  direct.insertMany('TicketEvent', fx.events);
  direct.insertMany('ScheduledAlert', fx.next, 'key');
  direct.insertMany('OutboxMessage', fx.messages, 'key');
  return { fired: deadlineAlerts.length, others };
}


class LostClaim extends Error {}

/** Fires a batch in one transaction; false (nothing stored) if any row was taken meanwhile. */
async function fireBatch(core: Core, owner: string, alerts: ScheduledAlert[], now: Date): Promise<boolean> {
  try {
    await core.db.$transaction(async (tx) => {
      const p = new Params(core.provider);
      const count = await tx.$executeRawUnsafe(
        `UPDATE "ScheduledAlert" SET "firedAt" = ${p.add(now)} WHERE "leaseOwner" = ${p.add(owner)} AND "firedAt" IS NULL AND "id" IN ${p.list(alerts.map((a) => a.id))}`,
        ...p.values,
      );
      if (count !== alerts.length) throw new LostClaim();
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
