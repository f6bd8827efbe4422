/**
 * Quotes for secondary-network and in-building pipe work (R16), and the paid work an accepted
 * one becomes (R9), through the core on the real database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerQuote, paidWorkKey } from '../../../src/core/quotes/answer-quote.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { createQuote } from '../../../src/core/quotes/create-quote.js';
import { listQuotes } from '../../../src/core/quotes/list-quotes.js';
import type { Ticket } from '../../../src/core/model.js';
import { fileResidentReport } from '../../../src/core/residents/file-resident-report.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
let n = 0;
const DAY = 86_400_000;

const pipeWork = [
  { name: '楼内立管 DN25', unit: '米', quantity: '3', unitPrice: '120.50' },
  { name: '闸阀 DN25', unit: '个', quantity: 2, unitPrice: 85 },
];

async function residentTicket(): Promise<{ ticket: Ticket; residentId: number }> {
  n++;
  const customer = await core.db.customer.create({
    data: {
      account: `7700${String(n).padStart(6, '0')}`,
      name: `住户${n}`,
      phone: `1390000${String(n).padStart(4, '0')}`,
      address: `幸福家园 ${n}号`,
      communityId: 'c001',
    },
  });
  const resident = await core.db.resident.create({ data: { telegramUserId: `q${n}`, chatId: `q${n}`, customerId: customer.id } });
  const ticket = await fileResidentReport(core, {
    residentId: resident.id,
    kind: 'complaint',
    category: 'leak',
    scope: 'secondary',
    description: '楼内地沟管道漏水',
  });
  return { ticket, residentId: resident.id };
}

const outboxOf = (kind: string) => core.db.outboxMessage.findMany({ where: { kind }, orderBy: { id: 'asc' } });

beforeAll(async () => {
  core = await makeTestCore({ start: '2026-12-07T02:00:00Z' });
});
afterAll(async () => core?.close());

describe('a quote at engineering settlement prices (R16)', () => {
  it('prices each item in cents, totals them, stands for 7 days and is owed to the resident and to the card', async () => {
    const { ticket } = await residentTicket();
    const q = await createQuote(core, { ticketNumber: ticket.number, actor: 'staff:xincheng-field1', items: pipeWork, note: '含拆装' });
    expect(q).toMatchObject({ number: `Q-${ticket.number}-1`, status: 'sent', totalCents: 36150 + 17000, branchId: 'xincheng', note: '含拆装' });
    expect(JSON.parse(q.items)).toEqual([
      { name: '楼内立管 DN25', unit: '米', quantity: 3, unitPriceCents: 12050, amountCents: 36150 },
      { name: '闸阀 DN25', unit: '个', quantity: 2, unitPriceCents: 8500, amountCents: 17000 },
    ]);
    expect(q.validUntil.getTime() - core.clock.now().getTime()).toBe(7 * DAY);
    const offer = (await outboxOf('quote_offer')).find((m) => JSON.parse(m.payload).quoteId === q.id);
    expect(offer?.target).toBe(`q${n}`);
    const [quoted] = await core.stores.tickets.events(ticket.id, 'quoted');
    expect(JSON.parse(quoted.data!)).toMatchObject({ quote: q.number, totalCents: 53150 });
  });

  it('accepted by the resident: scheduled as paid work of the same branch, naming the quote and the original (R9, R16)', async () => {
    const { ticket, residentId } = await residentTicket();
    const q = await createQuote(core, { ticketNumber: ticket.number, actor: 'staff:xincheng-coord', items: pipeWork });
    const out = await answerQuote(core, { quote: q.number, accept: true, actor: `resident:${residentId}` });
    expect(out.quote).toMatchObject({ status: 'accepted', answeredBy: `resident:${residentId}`, paidTicketId: out.paid!.id });
    expect(out.paid).toMatchObject({ kind: 'paid_service', branchId: 'xincheng', residentId, paidMaterials: 'company', status: 'dispatched' });
    expect(out.paid!.number).toMatch(/^P\d{8}-\d{4}$/);
    expect(out.paid!.description).toContain(q.number);
    expect(out.paid!.description).toContain(ticket.number);
    expect(out.paid!.description).toContain('= ¥531.50');
    expect(await core.stores.tickets.events(ticket.id, 'quote_accepted')).toHaveLength(1);
    const [scheduled] = await core.stores.tickets.events(ticket.id, 'quote_scheduled');
    expect(JSON.parse(scheduled.data!)).toMatchObject({ quote: q.number, paidNumber: out.paid!.number });
    const [view] = await listQuotes(core, ticket.number);
    expect(view).toMatchObject({ status: 'accepted', paidNumber: out.paid!.number, ticketNumber: ticket.number });
  });

  it('refused: stored as refused, nothing scheduled; a second answer is refused with quote_already_answered (R16)', async () => {
    const { ticket, residentId } = await residentTicket();
    const q = await createQuote(core, { ticketNumber: ticket.number, actor: 'staff:xincheng-coord', items: pipeWork });
    const out = await answerQuote(core, { quote: q.id, accept: false, actor: `resident:${residentId}` });
    expect(out).toMatchObject({ paid: null, quote: { status: 'refused', paidTicketId: null } });
    await expect(answerQuote(core, { quote: q.id, accept: true, actor: `resident:${residentId}` })).rejects.toMatchObject({ code: 'quote_already_answered' });
    expect(await core.db.ticket.count({ where: { kind: 'paid_service', description: { contains: q.number } } })).toBe(0);
  });

  it('after its validity: marked expired and the answer refused with quote_expired (R16)', async () => {
    const { ticket, residentId } = await residentTicket();
    const q = await createQuote(core, { ticketNumber: ticket.number, actor: 'staff:xincheng-coord', items: pipeWork });
    core.clock.advance(7 * DAY + 60_000);
    await expect(answerQuote(core, { quote: q.number, accept: true, actor: `resident:${residentId}` })).rejects.toMatchObject({ code: 'quote_expired' });
    expect((await core.stores.quotes.byId(q.id))?.status).toBe('expired');
    expect(await core.db.ticket.count({ where: { kind: 'paid_service', description: { contains: q.number } } })).toBe(0);
  });

  it('a newer quote of the same ticket withdraws the one still waiting; its numbers count up (R16)', async () => {
    const { ticket } = await residentTicket();
    const first = await createQuote(core, { ticketNumber: ticket.number, actor: 'staff:xincheng-coord', items: pipeWork });
    const second = await createQuote(core, { ticketNumber: ticket.number, actor: 'staff:agent01', items: pipeWork.slice(0, 1) });
    expect(second.number).toBe(`Q-${ticket.number}-2`);
    expect((await core.stores.quotes.byId(first.id))?.status).toBe('withdrawn');
  });

  it('only the branch of the ticket or the centre quotes; another resident cannot answer (R16, R2)', async () => {
    const { ticket } = await residentTicket();
    await expect(createQuote(core, { ticketNumber: ticket.number, actor: 'staff:huimin-field1', items: pipeWork })).rejects.toMatchObject({
      code: 'forbidden',
      context: { reason: 'other_branch' },
    });
    await expect(createQuote(core, { ticketNumber: ticket.number, actor: 'staff:hq-leader', items: pipeWork })).rejects.toMatchObject({ code: 'forbidden' });
    const q = await createQuote(core, { ticketNumber: ticket.number, actor: 'staff:xincheng-coord', items: pipeWork });
    const other = await residentTicket();
    await expect(answerQuote(core, { quote: q.id, accept: true, actor: `resident:${other.residentId}` })).rejects.toMatchObject({ code: 'not_your_ticket' });
  });

  it('staff record a phone answer (R16)', async () => {
    const { ticket } = await residentTicket();
    const q = await createQuote(core, { ticketNumber: ticket.number, actor: 'staff:xincheng-coord', items: pipeWork });
    const out = await answerQuote(core, { quote: q.number, accept: true, actor: 'staff:agent01' });
    expect(out.quote.answeredBy).toBe('staff:agent01');
    expect(out.paid).toMatchObject({ kind: 'paid_service', firstResponder: 'staff:agent01', source: 'hotline' });
  });
});

describe('an accept whose paid work was not scheduled (the process stopped in between) (R16, R9)', () => {
  const acceptedOnly = async (residentId: number, quoteId: number) =>
    core.stores.quotes.answer({
      id: quoteId,
      status: 'accepted',
      at: core.clock.now(),
      by: `resident:${residentId}`,
      event: { at: core.clock.now(), type: 'quote_accepted', actor: `resident:${residentId}`, fromStatus: null, toStatus: null, note: null, data: null },
      owes: () => [],
    });

  it('accepting again schedules it, once', async () => {
    const { ticket, residentId } = await residentTicket();
    const q = await createQuote(core, { ticketNumber: ticket.number, actor: 'staff:xincheng-coord', items: pipeWork });
    await acceptedOnly(residentId, q.id);
    const out = await answerQuote(core, { quote: q.id, accept: true, actor: `resident:${residentId}` });
    expect(out.paid).toMatchObject({ kind: 'paid_service' });
    expect(out.quote.paidTicketId).toBe(out.paid!.id);
    await expect(answerQuote(core, { quote: q.id, accept: true, actor: `resident:${residentId}` })).rejects.toMatchObject({ code: 'quote_already_answered' });
    expect(await core.db.ticket.count({ where: { kind: 'paid_service', description: { startsWith: `${q.number} ` } } })).toBe(1);
  });

  it('a paid ticket filed but not linked is linked, not filed twice', async () => {
    const { ticket, residentId } = await residentTicket();
    const q = await createQuote(core, { ticketNumber: ticket.number, actor: 'staff:xincheng-coord', items: pipeWork });
    await acceptedOnly(residentId, q.id);
    const filed = await createTicket(core, {
      kind: 'paid_service',
      category: 'leak',
      source: 'telegram',
      description: `${q.number} ← ${ticket.number}`,
      firstResponder: 'telegram',
      branchId: 'xincheng',
      onceKeys: [paidWorkKey(q.id)],
    });
    const out = await answerQuote(core, { quote: q.number, accept: true, actor: `resident:${residentId}` });
    expect(out.paid!.id).toBe(filed.id);
    expect(out.quote.paidTicketId).toBe(filed.id);
    expect(await core.db.ticket.count({ where: { kind: 'paid_service', description: { startsWith: `${q.number} ` } } })).toBe(1);
  });
});

describe('absurd amounts are refused with the field, and nothing is stored (R16)', () => {
  const cases: [string, unknown[], string][] = [
    ['a negative unit price', [{ name: '阀门', unit: '个', quantity: 1, unitPrice: -5 }], 'items[0].unitPrice'],
    ['a zero quantity', [{ name: '阀门', unit: '个', quantity: 0, unitPrice: 5 }], 'items[0].quantity'],
    ['a negative quantity', [{ name: '阀门', unit: '个', quantity: '-2', unitPrice: 5 }], 'items[0].quantity'],
    ['a price with three decimals', [{ name: '阀门', unit: '个', quantity: 1, unitPrice: '1.005' }], 'items[0].unitPrice'],
    ['a total over a million yuan', [{ name: '管道', unit: '米', quantity: 10000, unitPrice: 200 }], 'total'],
    ['a total of nothing', [{ name: '阀门', unit: '个', quantity: 1, unitPrice: 0 }], 'total'],
    ['no items', [], 'items'],
    ['31 items', Array.from({ length: 31 }, () => ({ name: '阀门', unit: '个', quantity: 1, unitPrice: 1 })), 'items'],
    ['an empty name', [{ name: '  ', unit: '个', quantity: 1, unitPrice: 1 }], 'items[0].name'],
    ['a name of 101 characters', [{ name: '管'.repeat(101), unit: '个', quantity: 1, unitPrice: 1 }], 'items[0].name'],
    ['a price that is not a number', [{ name: '阀门', unit: '个', quantity: 1, unitPrice: 'abc' }], 'items[0].unitPrice'],
  ];
  it.each(cases)('%s', async (_what, items, field) => {
    const { ticket } = await residentTicket();
    await expect(createQuote(core, { ticketNumber: ticket.number, actor: 'staff:xincheng-coord', items: items as never })).rejects.toMatchObject({
      code: 'invalid_quote',
      context: { field },
    });
    expect(await core.stores.quotes.ofTicket(ticket.id)).toEqual([]);
    expect(await core.stores.tickets.events(ticket.id, 'quoted')).toEqual([]);
  });

  it('a note over 1,000 characters', async () => {
    const { ticket } = await residentTicket();
    await expect(
      createQuote(core, { ticketNumber: ticket.number, actor: 'staff:xincheng-coord', items: pipeWork, note: '注'.repeat(1001) }),
    ).rejects.toMatchObject({
      code: 'invalid_quote',
      context: { field: 'note' },
    });
  });

  it('a closed ticket cannot be quoted: invalid_transition (R16)', async () => {
    const { ticket } = await residentTicket();
    await transitionTicket(core, { number: ticket.number, action: 'cancel', actor: 'staff:agent01', note: '住户撤回' });
    await expect(createQuote(core, { ticketNumber: ticket.number, actor: 'staff:agent01', items: pipeWork })).rejects.toMatchObject({
      code: 'invalid_transition',
    });
  });
});
