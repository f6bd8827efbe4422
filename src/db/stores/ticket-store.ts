import { AppError } from '../../core/errors.js';
import type { Callback, ServiceForm, Ticket, TicketEvent } from '../../core/model.js';
import { outboxRow } from '../../core/outbox/enqueue.js';
import type { Status } from '../../core/tickets/status-machine.js';
import type { AppliedStep, CallbackClaim, DeadlineSteps, NewAlert, PlannedStep, StepPlan, TicketForStep, TicketStore } from '../../core/ports/ticket-store.js';
import { decodeRow, type Row } from '../codec.js';
import type { Runner } from '../runner.js';
import { insertSql, sql, type Cell, type Sql } from '../statement.js';
import { oweSql } from './outbox-store.js';

/** `"column" = value` for each field given; an undefined field is left as it is. */
function assignments(fields: Record<string, unknown>): Sql[] {
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => sql`${sql.ident(k)} = ${v}`);
}

function forStepRow(r: Row): TicketForStep {
  const { residentChatId, ...ticket } = r;
  return { ticket: decodeRow<Ticket>('Ticket', ticket), residentChatId: (residentChatId as string | null) ?? null };
}

const FORM_FIELDS = ['workDone', 'materials', 'feesCents', 'effect', 'afterSalesTerms', 'signed', 'serviceDate', 'createdBy'] as const;

/**
 * Tickets after filing: a step's plan stored in one transaction through the runner (a Slack
 * click runs this: prepared statements, no Prisma model calls), and the reads a step starts from.
 */
export class SqlTicketStore implements TicketStore {
  constructor(private readonly q: Runner) {}

  async forStep(by: { number: string } | { id: number }): Promise<TicketForStep | null> {
    const where = 'number' in by ? sql`t."number" = ${by.number}` : sql`t."id" = ${by.id}`;
    const r = await this.q.get(
      sql`SELECT t.*, CASE WHEN r."unreachableAt" IS NULL THEN r."chatId" END AS "residentChatId" FROM "Ticket" t LEFT JOIN "Resident" r ON r."id" = t."residentId" WHERE ${where}`,
    );
    return r ? forStepRow(r) : null;
  }

  async callbackForStep(id: number): Promise<{ callback: Callback; ticket: TicketForStep } | null> {
    const r = await this.q.get(sql`SELECT * FROM "Callback" WHERE "id" = ${id}`);
    if (!r) return null;
    const callback = decodeRow<Callback>('Callback', r);
    const ticket = await this.forStep({ id: callback.ticketId });
    return ticket ? { callback, ticket } : null;
  }

  async events(ticketId: number, type: string): Promise<TicketEvent[]> {
    const rows = await this.q.all(sql`SELECT * FROM "TicketEvent" WHERE "ticketId" = ${ticketId} AND "type" = ${type} ORDER BY "at", "id"`);
    return rows.map((r) => decodeRow<TicketEvent>('TicketEvent', r));
  }

  async duplicatesOf(original: number | readonly number[], statuses: readonly Status[]): Promise<TicketForStep[]> {
    const ids = typeof original === 'number' ? [original] : original;
    if (!statuses.length || !ids.length) return [];
    const rows = await this.q.all(
      sql`SELECT t.*, CASE WHEN r."unreachableAt" IS NULL THEN r."chatId" END AS "residentChatId" FROM "Ticket" t LEFT JOIN "Resident" r ON r."id" = t."residentId"
           WHERE t."status" IN ${sql.list(statuses)} AND t."duplicateOfId" IN ${sql.list(ids)} ORDER BY t."id"`,
    );
    return rows.map(forStepRow);
  }

  applyStep(plan: StepPlan): Promise<AppliedStep> {
    return this.q.transaction(async (tx) => {
      const callback = plan.claim ? await claim(tx, plan.claim) : null;
      let ticket: Ticket | null = null;
      const eventIds: number[] = [];
      let version = plan.version;
      for (const step of plan.steps) {
        ticket = await update(tx, plan, step, version++);
        eventIds.push(await storeStep(tx, plan, step));
      }
      ticket ??= await this.ticketIn(tx, plan.ticketId);
      return { ticket, eventIds, callback };
    });
  }

  claimCallback(c: CallbackClaim): Promise<Callback> {
    return this.q.transaction((tx) => claim(tx, c));
  }

  async confirmForm(formId: number, change: Pick<ServiceForm, 'confirmedAt' | 'customerOpinion'>): Promise<ServiceForm> {
    const sets = [sql`"customerConfirmed" = ${true}`, ...assignments(change)];
    const r = await this.q.get(sql`UPDATE "ServiceForm" SET ${sql.join(sets)} WHERE "id" = ${formId} RETURNING *`);
    if (!r) throw new AppError('not_found', `no service form ${formId}`, { formId });
    return decodeRow<ServiceForm>('ServiceForm', r);
  }

  private async ticketIn(tx: Runner, id: number): Promise<Ticket> {
    const r = await tx.get(sql`SELECT * FROM "Ticket" WHERE "id" = ${id}`);
    if (!r) throw new AppError('ticket_not_found', `no ticket ${id}`, { id });
    return decodeRow<Ticket>('Ticket', r);
  }
}

/** The ticket's fields, its status and the next version, if nobody moved the version meanwhile. */
async function update(tx: Runner, plan: StepPlan, step: PlannedStep, version: number): Promise<Ticket> {
  const sets = assignments({ ...step.patch, status: step.status, updatedAt: plan.at });
  const r = await tx.get(
    sql`UPDATE "Ticket" SET ${sql.join(sets)}, "version" = "version" + 1 WHERE "id" = ${plan.ticketId} AND "version" = ${version} RETURNING *`,
  );
  if (!r) throw new AppError('concurrent_update', `ticket ${plan.ticketId} changed while this step was being applied`, { ticketId: plan.ticketId });
  return decodeRow<Ticket>('Ticket', r);
}

/** The step's callback, event, form, alerts and messages; returns the event's id. */
async function storeStep(tx: Runner, plan: StepPlan, step: PlannedStep): Promise<number> {
  const { ticketId, at } = plan;
  let callbackId: number | null = null;
  if (step.openCallback) {
    const row = { ticketId, channel: step.openCallback.channel, status: 'pending', attempts: 0, customerKey: step.openCallback.customerKey, createdAt: at };
    callbackId = Number((await tx.get<{ id: number }>(insertSql('Callback', [row], { returning: ['id'] })))!.id);
  }
  const e = step.event;
  const data = callbackId === null ? e.data : { ...e.data, callbackId };
  const event = {
    ticketId,
    at,
    type: e.type,
    actor: e.actor,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    note: e.note,
    data: data ? JSON.stringify(data) : null,
  };
  const eventId = Number((await tx.get<{ id: number }>(insertSql('TicketEvent', [event], { returning: ['id'] })))!.id);

  if (step.cancelAlertKinds.length) {
    await tx.run(sql`DELETE FROM "ScheduledAlert" WHERE "ticketId" = ${ticketId} AND "firedAt" IS NULL AND "kind" IN ${sql.list(step.cancelAlertKinds)}`);
  }
  if (step.cancelAlertKeys.length) {
    await tx.run(sql`DELETE FROM "ScheduledAlert" WHERE "ticketId" = ${ticketId} AND "firedAt" IS NULL AND "key" IN ${sql.list(step.cancelAlertKeys)}`);
  }
  if (step.deadlines) await storeDeadlines(tx, ticketId, at, step.deadlines);
  if (step.adjustment) await tx.run(insertSql('KpiAdjustment', [{ ...step.adjustment, ticketId, at }]));
  if (step.form) {
    const form: Record<string, Cell> = { ticketId, ...step.form, createdAt: at };
    const update = sql.join(FORM_FIELDS.map((f) => sql`${sql.ident(f)} = EXCLUDED.${sql.ident(f)}`));
    await tx.run(sql`${insertSql('ServiceForm', [form])} ON CONFLICT ("ticketId") DO UPDATE SET ${update}`);
  }
  const owed = step.owed({ eventId, callbackId });
  const alerts = [...step.alerts, ...owed.alerts].map((a: NewAlert) => ({ key: a.key, ticketId: a.ticketId, kind: a.kind, dueAt: a.dueAt, data: a.data }));
  if (alerts.length) await tx.run(insertSql('ScheduledAlert', alerts, { onConflictDoNothing: 'key' }));
  const messages = owed.messages.map((m) => outboxRow(m, at));
  for (const owe of oweSql(tx.dialect, messages)) await tx.run(owe);
  return eventId;
}

/**
 * A step's deadline changes. The running deadline of a name is its row no generation or
 * withdrawal has superseded (at most one); a new generation follows the ticket's highest, so
 * every name of it shares the number.
 */
async function storeDeadlines(tx: Runner, ticketId: number, at: Date, d: DeadlineSteps): Promise<void> {
  const running = sql`"ticketId" = ${ticketId} AND "supersededAt" IS NULL`;
  if (d.meet.length) await tx.run(sql`UPDATE "Deadline" SET "metAt" = ${at} WHERE ${running} AND "metAt" IS NULL AND "name" IN ${sql.list(d.meet)}`);
  if (d.supersede.length) await tx.run(sql`UPDATE "Deadline" SET "supersededAt" = ${at} WHERE ${running} AND "name" IN ${sql.list(d.supersede)}`);
  let generation: number | null = null;
  const current = async () => {
    if (generation === null) {
      const r = await tx.get<{ g: unknown }>(sql`SELECT MAX("generation") AS "g" FROM "Deadline" WHERE "ticketId" = ${ticketId}`);
      generation = r?.g === null || r?.g === undefined ? -1 : Number(r.g);
    }
    return generation;
  };
  if (d.open.length) {
    const g = d.generation === 'next' ? (await current()) + 1 : Math.max(0, await current());
    const rows = d.open.map((o) => ({ ticketId, name: o.name, generation: g, startedAt: o.startedAt, dueAt: o.dueAt }));
    await tx.run(sql`${insertSql('Deadline', rows)} ON CONFLICT ("ticketId", "name", "generation") DO NOTHING`);
  }
  for (const r of d.redue) {
    const changed = await tx.run(sql`UPDATE "Deadline" SET "dueAt" = ${r.dueAt} WHERE ${running} AND "name" = ${r.name}`);
    if (!changed) {
      const row = { ticketId, name: r.name, generation: Math.max(0, await current()), startedAt: r.startedAt, dueAt: r.dueAt };
      // a limit that went away and came back within one generation takes its row up again
      await tx.run(
        sql`${insertSql('Deadline', [row])} ON CONFLICT ("ticketId", "name", "generation") DO UPDATE SET "dueAt" = EXCLUDED."dueAt", "supersededAt" = NULL`,
      );
    }
  }
}

/** The pending callback, answered or with one more attempt; already_answered if another answer won. */
async function claim(tx: Runner, c: CallbackClaim): Promise<Callback> {
  const sets = [sql`"attempts" = "attempts" + 1`, ...assignments(c.change)];
  const sameAttempts = c.attempts === undefined ? sql`` : sql` AND "attempts" = ${c.attempts}`;
  const r = await tx.get(sql`UPDATE "Callback" SET ${sql.join(sets)} WHERE "id" = ${c.id} AND "status" = ${'pending'}${sameAttempts} RETURNING *`);
  if (!r) throw new AppError('already_answered', `callback ${c.id} was already answered`, { callbackId: c.id });
  return decodeRow<Callback>('Callback', r);
}
