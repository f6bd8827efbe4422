import type { Resident, Ticket } from '../../core/model.js';
import type { BindAnswer, BindAnswerOutcome, BindRequest, BindTry, BindTryOutcome, BoundCustomer, ResidentStore } from '../../core/ports/resident-store.js';
import type { Status } from '../../core/tickets/status-machine.js';
import { decodeRow, type Row } from '../codec.js';
import type { Runner } from '../runner.js';
import { insertSql, sql, type Sql } from '../statement.js';
import { answerBindRequest, bindSet, countFailure, tryBind, waitingBindRequest } from './resident-binding.js';

const residentRow = (r: Row) => decodeRow<Resident>('Resident', r);

/** Residents of the bot: meet, bind (with its guess limits: resident-binding.ts), locale and address, their own tickets. */
export class SqlResidentStore implements ResidentStore {
  constructor(private readonly q: Runner) {}

  /**
   * Every update the bot receives reads the resident: one prepared statement when they are known
   * and their chat has not changed (a Prisma findUnique costs a hundred times more here).
   */
  async meet(input: { telegramUserId: string; chatId: string; locale: string }, at: Date): Promise<Resident> {
    const found = await this.q.get(sql`SELECT * FROM "Resident" WHERE "telegramUserId" = ${input.telegramUserId}`);
    if (found) {
      const r = residentRow(found);
      if (r.chatId === input.chatId && r.unreachableAt === null) return r;
      // a new chat, or a resident who blocked the bot writing again: reachable from now on
      return (await this.update(r.id, sql`"chatId" = ${input.chatId}, "unreachableAt" = ${null}`, at))!;
    }
    const created = await this.q.get(
      sql`${insertSql(
        'Resident',
        [{ telegramUserId: input.telegramUserId, chatId: input.chatId, locale: input.locale, bindFailures: 0, createdAt: at, updatedAt: at }],
        {
          onConflictDoNothing: 'telegramUserId',
        },
      )} RETURNING *`,
    );
    if (created) return residentRow(created);
    // Two first messages at once: the other one registered the resident.
    return (await this.meet(input, at))!;
  }

  async byId(id: number): Promise<Resident | null> {
    const r = await this.q.get(sql`SELECT * FROM "Resident" WHERE "id" = ${id}`);
    return r ? residentRow(r) : null;
  }

  /**
   * A private chat's id is its user's id on Telegram, so the unique telegramUserId finds the
   * resident (the chatId column has no index); the chatId condition keeps it to that very chat.
   */
  async markUnreachable(chatId: string, at: Date): Promise<boolean> {
    const r = await this.q.get(
      sql`UPDATE "Resident" SET "unreachableAt" = ${at}, "updatedAt" = ${at} WHERE "telegramUserId" = ${chatId} AND "chatId" = ${chatId} AND "unreachableAt" IS NULL RETURNING "id"`,
    );
    return r !== undefined && r !== null;
  }

  async unreachableSince(chatId: string): Promise<Date | null> {
    const r = await this.q.get(sql`SELECT * FROM "Resident" WHERE "telegramUserId" = ${chatId} AND "chatId" = ${chatId}`);
    return r ? residentRow(r).unreachableAt : null;
  }

  countBindFailure(residentId: number, rule: { at: Date; limit: number; lockUntil: Date }): Promise<{ failures: number; lockedUntil: Date | null } | null> {
    return this.q.transaction((tx) => countFailure(tx, residentId, rule));
  }

  tryBind(t: BindTry): Promise<BindTryOutcome> {
    return tryBind(this.q, t);
  }

  answerBindRequest(a: BindAnswer): Promise<BindAnswerOutcome> {
    return answerBindRequest(this.q, a);
  }

  waitingBindRequest(attemptId: number, expiredBefore: Date): Promise<BindRequest | null> {
    return waitingBindRequest(this.q, attemptId, expiredBefore);
  }

  bind(residentId: number, customer: BoundCustomer, at: Date): Promise<Resident | null> {
    return this.update(residentId, bindSet(customer), at);
  }

  setLocale(residentId: number, locale: string, at: Date): Promise<Resident | null> {
    return this.update(residentId, sql`"locale" = ${locale}`, at);
  }

  async markMenuShown(residentId: number, at: Date): Promise<void> {
    await this.q.run(sql`UPDATE "Resident" SET "menuShownAt" = ${at}, "updatedAt" = ${at} WHERE "id" = ${residentId} AND "menuShownAt" IS NULL`);
  }

  setAddress(residentId: number, place: { communityId: string; address: string }, at: Date): Promise<Resident | null> {
    return this.update(residentId, sql`"communityId" = ${place.communityId}, "address" = ${place.address}`, at);
  }

  setPhone(residentId: number, phone: string, at: Date): Promise<{ resident: Resident; tickets: number } | null> {
    return this.q.transaction(async (tx) => {
      const r = await tx.get(sql`UPDATE "Resident" SET "phone" = ${phone}, "updatedAt" = ${at} WHERE "id" = ${residentId} RETURNING *`);
      if (!r) return null;
      const tickets = await tx.run(
        sql`UPDATE "Ticket" SET "contactPhone" = ${phone}, "updatedAt" = ${at}
            WHERE "residentId" = ${residentId} AND "branchId" IS NULL AND "status" = 'received' AND "contactPhone" IS NULL`,
      );
      return { resident: residentRow(r), tickets };
    });
  }

  async ownTickets(resident: Pick<Resident, 'id' | 'customerId'>, opts: { statuses?: readonly Status[]; limit: number }): Promise<Ticket[]> {
    const status = opts.statuses ? sql` AND "status" IN ${sql.list(opts.statuses)}` : sql``;
    // Two indexed reads, not one OR: with an OR both databases scan every ticket of those statuses
    // (in a cold snap, every open ticket of the city) on each message a bound resident writes.
    const own =
      resident.customerId === null
        ? sql`"residentId" = ${resident.id}${status}`
        : sql`"id" IN (SELECT "id" FROM "Ticket" WHERE "residentId" = ${resident.id}${status}
                       UNION ALL SELECT "id" FROM "Ticket" WHERE "customerId" = ${resident.customerId} AND "residentId" IS NULL${status})`;
    const rows = await this.q.all(sql`SELECT * FROM "Ticket" WHERE ${own} ORDER BY "id" DESC LIMIT ${opts.limit}`);
    return rows.map((r) => decodeRow<Ticket>('Ticket', r));
  }

  private async update(id: number, set: Sql, at: Date): Promise<Resident | null> {
    const r = await this.q.get(sql`UPDATE "Resident" SET ${set}, "updatedAt" = ${at} WHERE "id" = ${id} RETURNING *`);
    return r ? residentRow(r) : null;
  }
}
