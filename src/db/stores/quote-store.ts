import { AppError } from '../../core/errors.js';
import type { Quote } from '../../core/model.js';
import type { EventDraft } from '../../core/ports/intake-store.js';
import type { NewQuote, QuoteAnswer, QuoteStore } from '../../core/ports/quote-store.js';
import type { OutboxRow } from '../../core/outbox/enqueue.js';
import { decodeRow, num, type Row } from '../codec.js';
import type { Runner } from '../runner.js';
import { insertRowSet } from '../row-set.js';
import { insertSql, sql } from '../statement.js';
import { oweSql } from './outbox-store.js';

const quoteOf = (r: Row) => decodeRow<Quote>('Quote', r);

/** Inserts a line on the ticket's timeline and the messages it owes; the event's id. */
async function eventAndMessages(tx: Runner, ticketId: number, e: EventDraft, owes: (eventId: number) => OutboxRow[]): Promise<number> {
  const r = await tx.get<{ id: unknown }>(sql`${insertSql('TicketEvent', [{ ...e, ticketId }])} RETURNING "id"`);
  const eventId = num(r?.id);
  for (const s of oweSql(tx.dialect, owes(eventId))) await tx.run(s);
  return eventId;
}

/** Quotes (R16): created with their number, answered once, linked to the paid work they became. */
export class SqlQuoteStore implements QuoteStore {
  constructor(private readonly q: Runner) {}

  create(n: NewQuote): Promise<Quote> {
    return this.q.transaction(async (tx) => {
      const d = n.quote;
      // the ticket's row is the lock two quotes of one ticket queue on, so their numbers differ
      await tx.run(sql`UPDATE "Ticket" SET "updatedAt" = "updatedAt" WHERE "id" = ${d.ticketId}`);
      await tx.run(sql`UPDATE "Quote" SET "status" = 'withdrawn' WHERE "ticketId" = ${d.ticketId} AND "status" = 'sent'`);
      const count = await tx.get<{ n: unknown }>(sql`SELECT COUNT(*) AS "n" FROM "Quote" WHERE "ticketId" = ${d.ticketId}`);
      const number = `Q-${n.ticketNumber}-${num(count?.n) + 1}`;
      const row = await tx.get(
        sql`${insertSql('Quote', [{ ...d, number, status: 'sent', answeredAt: null, answeredBy: null, paidTicketId: null }])} RETURNING *`,
      );
      const quote = quoteOf(row!);
      await eventAndMessages(tx, d.ticketId, n.event(quote), (eventId) => n.owes(quote, eventId));
      const alerts = n.alerts?.(quote) ?? [];
      if (alerts.length) await tx.run(insertRowSet(tx.dialect, 'ScheduledAlert', alerts, 'key'));
      return quote;
    });
  }

  answer(a: QuoteAnswer): Promise<Quote> {
    return this.q.transaction(async (tx) => {
      const r = await tx.get(
        sql`UPDATE "Quote" SET "status" = ${a.status}, "answeredAt" = ${a.at}, "answeredBy" = ${a.by}
            WHERE "id" = ${a.id} AND "status" = 'sent' RETURNING *`,
      );
      if (!r) {
        const now = await tx.get<{ number: string; status: string }>(sql`SELECT "number", "status" FROM "Quote" WHERE "id" = ${a.id}`);
        if (!now) throw new AppError('quote_not_found', `no quote ${a.id}`, { id: a.id });
        throw new AppError('quote_already_answered', `quote ${now.number} is ${now.status}`, { number: now.number, status: now.status });
      }
      const quote = quoteOf(r);
      await eventAndMessages(tx, quote.ticketId, a.event, (eventId) => a.owes(quote, eventId));
      return quote;
    });
  }

  linkPaid(l: { id: number; paidTicketId: number; event: EventDraft; owes(eventId: number): OutboxRow[] }): Promise<Quote> {
    return this.q.transaction(async (tx) => {
      const r = await tx.get(sql`UPDATE "Quote" SET "paidTicketId" = ${l.paidTicketId} WHERE "id" = ${l.id} AND "paidTicketId" IS NULL RETURNING *`);
      if (!r) throw new AppError('quote_already_answered', `quote ${l.id} was scheduled already`, { id: l.id });
      const quote = quoteOf(r);
      await eventAndMessages(tx, quote.ticketId, l.event, l.owes);
      return quote;
    });
  }

  async paidTicketFiledFor(quoteNumber: string): Promise<number | null> {
    // the number is letters, digits and dashes (Q-T20261207-0001-1): nothing in it is a LIKE wildcard
    const r = await this.q.get<{ id: unknown }>(
      sql`SELECT "id" FROM "Ticket" WHERE "kind" = 'paid_service' AND "description" LIKE ${`${quoteNumber} %`} ORDER BY "id" LIMIT 1`,
    );
    return r ? num(r.id) : null;
  }

  async byId(id: number): Promise<Quote | null> {
    const r = await this.q.get(sql`SELECT * FROM "Quote" WHERE "id" = ${id}`);
    return r ? quoteOf(r) : null;
  }

  async byNumber(number: string): Promise<Quote | null> {
    const r = await this.q.get(sql`SELECT * FROM "Quote" WHERE "number" = ${number}`);
    return r ? quoteOf(r) : null;
  }

  async ofTicket(ticketId: number): Promise<Quote[]> {
    const rows = await this.q.all(sql`SELECT * FROM "Quote" WHERE "ticketId" = ${ticketId} ORDER BY "id"`);
    return rows.map(quoteOf);
  }
}
