/**
 * The quote store (R16) on the database under test (SQLite file, or PostgreSQL when
 * TEST_DATABASE_URL is set): numbers per ticket, one answer per quote, the paid link once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '../../../src/core/model.js';
import { outboxRow } from '../../../src/core/outbox/enqueue.js';
import type { NewQuote } from '../../../src/core/ports/quote-store.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
let ticket: Ticket;
beforeAll(async () => {
  core = await makeTestCore({ start: '2026-12-07T02:00:00Z' });
  ticket = await createTicket(core, {
    kind: 'complaint',
    category: 'leak',
    source: 'hotline',
    description: '管沟漏水',
    firstResponder: 'staff:agent01',
    communityId: 'c001',
  });
});
afterAll(() => core?.close());

function newQuote(over: Partial<NewQuote['quote']> = {}): NewQuote {
  const at = core.clock.now();
  return {
    ticketNumber: ticket.number,
    quote: {
      ticketId: ticket.id,
      branchId: 'xincheng',
      items: JSON.stringify([{ name: '阀门', unit: '个', quantity: 1, unitPriceCents: 5000, amountCents: 5000 }]),
      totalCents: 5000,
      note: null,
      validUntil: new Date(at.getTime() + 86_400_000),
      createdBy: 'staff:xincheng-coord',
      createdAt: at,
      ...over,
    },
    event: (q) => ({
      at,
      type: 'quoted',
      actor: 'staff:xincheng-coord',
      fromStatus: null,
      toStatus: null,
      note: null,
      data: JSON.stringify({ quote: q.number }),
    }),
    owes: (q, eventId) => [
      outboxRow({ key: `test:quote:${q.id}:${eventId}`, platform: 'slack', target: 'C1', kind: 'ticket_card', payload: { ticketId: ticket.id, eventId } }, at),
    ],
  };
}

const line = (type: string) => ({ at: core.clock.now(), type, actor: 'system', fromStatus: null, toStatus: null, note: null, data: null });

describe('the quote store (R16)', () => {
  it("numbers a ticket's quotes Q-<ticket>-1, -2, withdraws the one waiting, and stores the event and the owed row with each", async () => {
    const s = core.stores.quotes;
    const a = await s.create(newQuote());
    const b = await s.create(newQuote({ totalCents: 6000 }));
    expect([a.number, b.number]).toEqual([`Q-${ticket.number}-1`, `Q-${ticket.number}-2`]);
    expect((await s.byId(a.id))?.status).toBe('withdrawn');
    expect(await s.byNumber(b.number)).toEqual(b);
    expect((await s.ofTicket(ticket.id)).map((q) => q.id)).toEqual([a.id, b.id]);
    const [quoted] = await core.stores.tickets.events(ticket.id, 'quoted');
    expect(JSON.parse(quoted.data!)).toEqual({ quote: a.number });
    expect(await core.db.outboxMessage.count({ where: { key: { startsWith: 'test:quote:' } } })).toBe(2);
  });

  it('takes one answer: a second is refused with the status it found, and stores nothing', async () => {
    const s = core.stores.quotes;
    const q = await s.create(newQuote());
    const at = core.clock.now();
    const answered = await s.answer({ id: q.id, status: 'accepted', at, by: 'resident:1', event: line('quote_accepted'), owes: () => [] });
    expect(answered).toMatchObject({ status: 'accepted', answeredAt: at, answeredBy: 'resident:1' });
    await expect(s.answer({ id: q.id, status: 'refused', at, by: 'resident:1', event: line('quote_refused'), owes: () => [] })).rejects.toMatchObject({
      code: 'quote_already_answered',
      context: { status: 'accepted' },
    });
    expect(await core.stores.tickets.events(ticket.id, 'quote_refused')).toEqual([]);
    await expect(s.answer({ id: 999_999, status: 'refused', at, by: null, event: line('quote_refused'), owes: () => [] })).rejects.toMatchObject({
      code: 'quote_not_found',
    });
  });

  it('finds a paid-service ticket filed for a quote by the number its description starts with', async () => {
    const s = core.stores.quotes;
    const q = await s.create(newQuote());
    expect(await s.paidTicketFiledFor(q.number)).toBeNull();
    const paid = await createTicket(core, {
      kind: 'paid_service',
      category: 'leak',
      source: 'hotline',
      description: `${q.number} ← ${ticket.number}`,
      firstResponder: 'staff:agent01',
      communityId: 'c001',
    });
    expect(await s.paidTicketFiledFor(q.number)).toBe(paid.id);
    // Q-…-1 is not Q-…-10
    expect(await s.paidTicketFiledFor(`${q.number}0`)).toBeNull();
  });

  it('links the paid ticket once', async () => {
    const s = core.stores.quotes;
    const q = await s.create(newQuote());
    const linked = await s.linkPaid({ id: q.id, paidTicketId: ticket.id, event: line('quote_scheduled'), owes: () => [] });
    expect(linked.paidTicketId).toBe(ticket.id);
    await expect(s.linkPaid({ id: q.id, paidTicketId: ticket.id, event: line('quote_scheduled'), owes: () => [] })).rejects.toMatchObject({
      code: 'quote_already_answered',
    });
    expect(await core.stores.tickets.events(ticket.id, 'quote_scheduled')).toHaveLength(1);
  });

  it('stores the alerts a quote schedules with it, a key stored already kept as it is (R16)', async () => {
    const s = core.stores.quotes;
    const due = new Date(core.clock.now().getTime() + 86_400_000);
    const alert = (q: { id: number }, key = `test:quote:${q.id}:expiry`) => ({
      key,
      ticketId: ticket.id,
      kind: 'quote_expiry',
      dueAt: due,
      data: JSON.stringify({ quoteId: q.id }),
    });
    const q = await s.create({ ...newQuote(), alerts: (quote) => [alert(quote)] });
    const stored = await core.db.scheduledAlert.findFirstOrThrow({ where: { key: `test:quote:${q.id}:expiry` } });
    expect(stored).toMatchObject({ kind: 'quote_expiry', ticketId: ticket.id, firedAt: null, data: JSON.stringify({ quoteId: q.id }) });
    expect(stored.dueAt.getTime()).toBe(due.getTime());
    // a second quote naming the same key stores its quote, and leaves the alert as it was
    await s.create({ ...newQuote(), alerts: () => [{ ...alert(q), dueAt: new Date(due.getTime() + 1) }] });
    const again = await core.db.scheduledAlert.findMany({ where: { key: `test:quote:${q.id}:expiry` } });
    expect(again).toHaveLength(1);
    expect(again[0].dueAt.getTime()).toBe(due.getTime());
  });
});
