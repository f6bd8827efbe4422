/**
 * The bind parts of the resident store (resident-store.ts delegates here): tries recorded in
 * BindAttempt and counted in sliding windows, bindings, and second bindings waiting for a
 * resident already bound to the account.
 *
 * A try's check and its record are one transaction, and every bind transaction takes the same
 * lock first (SQLite: the connection's gate already serialises transactions; PostgreSQL: one
 * transaction-scoped advisory lock), so twenty tries at the same instant on two instances cannot
 * all read "four wrong so far". Bind tries are rare (a resident binds once), so one lock for all
 * of them costs nothing.
 *
 * A request is the BindAttempt row of a right try by a resident the account's residents have not
 * yet let in: `ok` true and the requester not bound to the customer. Allowing binds the requester
 * (the row stays ok); refusing turns the row to `ok` false, so it counts as a wrong try of the
 * account from then on. Either way it is no longer waiting, and a second answer finds it answered.
 */
import type { Resident } from '../../core/model.js';
import type { BindAnswer, BindAnswerOutcome, BindRequest, BindTry, BindTryOutcome, BoundCustomer, TryWindow } from '../../core/ports/resident-store.js';
import type { OutboxItem } from '../../core/outbox/enqueue.js';
import { outboxRow } from '../../core/outbox/enqueue.js';
import { decodeRow, num, toDate, type Row } from '../codec.js';
import type { Runner } from '../runner.js';
import { sql, type Sql } from '../statement.js';
import { oweSql } from './outbox-store.js';

const residentRow = (r: Row) => decodeRow<Resident>('Resident', r);

/** The advisory lock key of bind transactions on PostgreSQL ("bind" in ASCII); migrate.ts uses its own. */
const BIND_LOCK = 0x62696e64;

async function serialise(tx: Runner): Promise<void> {
  if (tx.dialect === 'postgresql') await tx.run(sql`SELECT pg_advisory_xact_lock(${sql.raw(String(BIND_LOCK))})`);
}

/**
 * When the window lets the next try in again: the `max`-th newest wrong try in it leaves the
 * window `ms` after it was made. Undefined while fewer than `max` wrong tries are in it.
 */
async function refusedUntil(tx: Runner, w: TryWindow, at: Date, account?: string): Promise<Date | undefined> {
  const since = new Date(at.getTime() - w.ms);
  const which = account === undefined ? sql`` : sql`"account" = ${account} AND `;
  const r = await tx.get<{ at: unknown }>(
    sql`SELECT "at" FROM "BindAttempt" WHERE ${which}"ok" = ${false} AND "at" > ${since} ORDER BY "at" DESC LIMIT 1 OFFSET ${w.max - 1}`,
  );
  return r ? new Date(toDate(r.at)!.getTime() + w.ms) : undefined;
}

async function record(tx: Runner, t: { account: string; telegramUserId: string; at: Date; ok: boolean }): Promise<number> {
  const r = await tx.get<{ id: unknown }>(
    sql`INSERT INTO "BindAttempt" ("account", "telegramUserId", "at", "ok") VALUES (${t.account}, ${t.telegramUserId}, ${t.at}, ${t.ok}) RETURNING "id"`,
  );
  return num(r!.id);
}

/**
 * Counts one wrong try of the resident. A lock that has run out (`bindLockedUntil` ≤ `at`)
 * starts a fresh count; reaching `limit` locks the resident until `lockUntil` and clears the count.
 */
export async function countFailure(
  tx: Runner,
  residentId: number,
  rule: { at: Date; limit: number; lockUntil: Date },
): Promise<{ failures: number; lockedUntil: Date | null } | null> {
  const { at, limit, lockUntil } = rule;
  const expired = sql`("bindLockedUntil" IS NOT NULL AND "bindLockedUntil" <= ${at})`;
  const counted = await tx.get<{ bindFailures: number }>(
    sql`UPDATE "Resident" SET "bindFailures" = CASE WHEN ${expired} THEN 1 ELSE "bindFailures" + 1 END,
          "bindLockedUntil" = CASE WHEN ${expired} THEN NULL ELSE "bindLockedUntil" END, "updatedAt" = ${at}
        WHERE "id" = ${residentId} RETURNING "bindFailures", "bindLockedUntil"`,
  );
  if (!counted) return null;
  const failures = Number(counted.bindFailures);
  if (failures < limit) return { failures, lockedUntil: null };
  await tx.run(sql`UPDATE "Resident" SET "bindFailures" = 0, "bindLockedUntil" = ${lockUntil}, "updatedAt" = ${at} WHERE "id" = ${residentId}`);
  return { failures: 0, lockedUntil: lockUntil };
}

/** The binding's SET clause: the customer, its community and address; wrong tries cleared. */
export const bindSet = (customer: BoundCustomer): Sql =>
  sql`"customerId" = ${customer.id}, "communityId" = ${customer.communityId}, "address" = ${customer.address}, "bindFailures" = 0, "bindLockedUntil" = NULL`;

async function bindResident(tx: Runner, residentId: number, customer: BoundCustomer, at: Date): Promise<Resident | null> {
  const r = await tx.get(sql`UPDATE "Resident" SET ${bindSet(customer)}, "updatedAt" = ${at} WHERE "id" = ${residentId} RETURNING *`);
  return r ? residentRow(r) : null;
}

async function residentsOf(tx: Runner, customerId: number, except: readonly number[]): Promise<Resident[]> {
  const rows = await tx.all(sql`SELECT * FROM "Resident" WHERE "customerId" = ${customerId} AND "id" NOT IN ${sql.list(except)} ORDER BY "id"`);
  return rows.map(residentRow);
}

async function owe(tx: Runner, items: readonly OutboxItem[], at: Date): Promise<void> {
  for (const s of oweSql(
    tx.dialect,
    items.map((i) => outboxRow(i, at)),
  ))
    await tx.run(s);
}

export async function tryBind(q: Runner, t: BindTry): Promise<BindTryOutcome> {
  return q.transaction(async (tx) => {
    await serialise(tx);
    if (t.proof === 'digits') {
      const accountUntil = await refusedUntil(tx, t.limits.perAccount, t.at, t.account);
      const overallUntil = await refusedUntil(tx, t.limits.overall, t.at);
      const until = [accountUntil, overallUntil].filter((d): d is Date => !!d).sort((a, b) => b.getTime() - a.getTime())[0];
      if (until) return { status: 'limited', until };
    }
    const c = t.customer;
    if (!c) {
      await record(tx, { account: t.account, telegramUserId: t.telegramUserId, at: t.at, ok: false });
      const { max, lockUntil } = t.limits.resident;
      const counted = await countFailure(tx, t.residentId, { at: t.at, limit: max, lockUntil });
      if (!counted) throw new Error(`no resident ${t.residentId}`);
      return { status: 'failed', ...counted };
    }
    const self = await tx.get(sql`SELECT * FROM "Resident" WHERE "id" = ${t.residentId}`);
    if (!self) throw new Error(`no resident ${t.residentId}`);
    const others = await residentsOf(tx, c.id, [t.residentId]);
    if (t.proof === 'digits' && others.length && residentRow(self).customerId !== c.id) {
      const waiting = await tx.get<{ id: unknown }>(
        sql`SELECT "id" FROM "BindAttempt" WHERE "account" = ${t.account} AND "telegramUserId" = ${t.telegramUserId} AND "ok" = ${true}
              AND "at" > ${t.requestsSince} ORDER BY "id" DESC LIMIT 1`,
      );
      if (waiting) return { status: 'waiting', attemptId: num(waiting.id) };
      const attemptId = await record(tx, { account: t.account, telegramUserId: t.telegramUserId, at: t.at, ok: true });
      await owe(tx, t.owes(attemptId, others), t.at);
      return { status: 'waiting', attemptId };
    }
    const attemptId = await record(tx, { account: t.account, telegramUserId: t.telegramUserId, at: t.at, ok: true });
    const resident = (await bindResident(tx, t.residentId, c, t.at))!;
    await owe(tx, t.owes(attemptId, others), t.at);
    return { status: 'bound', resident };
  });
}

/** The request behind a BindAttempt row, whatever its state; null when the row, its account or its requester is gone. */
async function requestOf(tx: Runner, attemptId: number): Promise<(BindRequest & { ok: boolean }) | null> {
  const a = await tx.get<{ account: string; telegramUserId: string; at: unknown; ok: unknown }>(
    sql`SELECT "account", "telegramUserId", "at", "ok" FROM "BindAttempt" WHERE "id" = ${attemptId}`,
  );
  if (!a) return null;
  const customer = await tx.get<{ id: unknown; communityId: string; address: string }>(
    sql`SELECT "id", "communityId", "address" FROM "Customer" WHERE "account" = ${a.account}`,
  );
  const requester = await tx.get(sql`SELECT * FROM "Resident" WHERE "telegramUserId" = ${a.telegramUserId}`);
  if (!customer || !requester) return null;
  return {
    attemptId,
    account: a.account,
    customer: { id: num(customer.id), communityId: customer.communityId, address: customer.address },
    requester: residentRow(requester),
    at: toDate(a.at)!,
    ok: a.ok === true || Number(a.ok) === 1,
  };
}

const waits = (r: BindRequest & { ok: boolean }, expiredBefore: Date) => r.ok && r.at > expiredBefore && r.requester.customerId !== r.customer.id;

export async function waitingBindRequest(q: Runner, attemptId: number, expiredBefore: Date): Promise<BindRequest | null> {
  const r = await requestOf(q, attemptId);
  if (!r || !waits(r, expiredBefore)) return null;
  const { ok: _ok, ...request } = r;
  return request;
}

export async function answerBindRequest(q: Runner, a: BindAnswer): Promise<BindAnswerOutcome> {
  return q.transaction(async (tx) => {
    await serialise(tx);
    const r = await requestOf(tx, a.attemptId);
    const answerer = await tx.get<{ customerId: unknown }>(sql`SELECT "customerId" FROM "Resident" WHERE "id" = ${a.answererId}`);
    if (!r || !answerer || answerer.customerId === null || num(answerer.customerId) !== r.customer.id) return { status: 'expired' };
    if (r.requester.customerId === r.customer.id || !r.ok) return { status: 'answered' };
    if (r.at <= a.expiredBefore) return { status: 'expired' };
    const { ok: _ok, ...request } = r;
    if (a.allow) {
      request.requester = (await bindResident(tx, r.requester.id, r.customer, a.at))!;
    } else {
      await tx.run(sql`UPDATE "BindAttempt" SET "ok" = ${false} WHERE "id" = ${a.attemptId}`);
      await countFailure(tx, r.requester.id, { at: a.at, limit: a.requesterLimit.max, lockUntil: a.requesterLimit.lockUntil });
    }
    const others = await residentsOf(tx, r.customer.id, [a.answererId, r.requester.id]);
    await owe(tx, a.owes(request, a.allow, others), a.at);
    return { status: a.allow ? 'allowed' : 'refused', request };
  });
}
