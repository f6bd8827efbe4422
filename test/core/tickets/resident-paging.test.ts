/**
 * A resident's notes page the branch at most once per ticket every ten minutes; every note is
 * still stored on the timeline. Real database, clock moved by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { addResidentComment } from '../../../src/core/residents/add-resident-comment.js';
import { meetResident } from '../../../src/core/residents/meet-resident.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { notePagesStaff } from '../../../src/core/tickets/resident-paging.js';
import { seedDemoCustomers } from '../../../src/db/seed-demo.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
let nextUser = 91_000;
beforeAll(async () => {
  core = await makeTestCore();
  await seedDemoCustomers(core);
});
afterAll(() => core?.close());

/** A ticket of the branch 新城 that belongs to a resident of the bot. */
async function residentTicket(): Promise<{ residentId: number; number: string; ticketId: number }> {
  const r = await meetResident(core, { telegramUserId: String(++nextUser), chatId: String(nextUser) });
  const t = await createTicket(core, hotlineComplaint());
  await core.db.ticket.update({ where: { id: t.id }, data: { residentId: r.id } });
  return { residentId: r.id, number: t.number, ticketId: t.id };
}

/** The card's thread lines owed for notes on the ticket (every note owes one), with whether the line pages staff and when it is due. */
async function noteLines(ticketId: number): Promise<{ at: Date; pages: boolean }[]> {
  const rows = await core.db.outboxMessage.findMany({ where: { kind: 'ticket_card' }, orderBy: { id: 'asc' } });
  const lines = rows.filter((r) => JSON.parse(r.payload).ticketId === ticketId && JSON.parse(r.payload).event === 'note');
  const events = await core.db.ticketEvent.findMany({ where: { id: { in: lines.map((r) => JSON.parse(r.payload).eventId) } } });
  const notify = new Map(events.map((e) => [e.id, (JSON.parse(e.data ?? '{}') as { notify?: string[] }).notify ?? []]));
  return lines.map((r) => ({ at: r.nextAt, pages: (notify.get(JSON.parse(r.payload).eventId) ?? []).length > 0 }));
}

/** The notes that page the branch (mention its people in the card's thread): when each line is due. */
async function notePages(ticketId: number): Promise<Date[]> {
  return (await noteLines(ticketId)).filter((l) => l.pages).map((l) => l.at);
}

const notesOf = (ticketId: number) => core.db.ticketEvent.count({ where: { ticketId, type: 'note' } });

describe('a resident’s notes and the branch', () => {
  it('a flood of notes pages the branch once, every note on the timeline', async () => {
    const t = await residentTicket();
    const start = core.clock.now();
    for (let i = 0; i < 20; i++) {
      await addResidentComment(core, { residentId: t.residentId, number: t.number, text: `还是不热 ${i}` });
      core.clock.advance(15_000);
    }
    expect(await notesOf(t.ticketId)).toBe(20);
    expect(await notePages(t.ticketId)).toEqual([start]);
    // every note is in the card's thread all the same, at once: staff read them there
    expect((await noteLines(t.ticketId)).length).toBe(20);
  });

  it('pages again for the first note ten minutes or more after the last page', async () => {
    const t = await residentTicket();
    const t0 = core.clock.now().getTime();
    for (const min of [0, 2, 9, 11, 15, 21]) {
      core.clock.set(new Date(t0 + min * MINUTE));
      await addResidentComment(core, { residentId: t.residentId, number: t.number, text: `第 ${min} 分钟` });
    }
    expect((await notePages(t.ticketId)).map((d) => (d.getTime() - t0) / MINUTE)).toEqual([0, 11, 21]);
    expect(await notesOf(t.ticketId)).toBe(6);
  });

  it('holds up nothing else: a quiet note owes no message due later, so the branch’s next card goes out at once', async () => {
    const t = await residentTicket();
    await addResidentComment(core, { residentId: t.residentId, number: t.number, text: '一' });
    core.clock.advance(MINUTE);
    await addResidentComment(core, { residentId: t.residentId, number: t.number, text: '二' });
    const other = await createTicket(core, hotlineComplaint());
    const now = core.clock.now().getTime();
    const pending = await core.db.outboxMessage.findMany({ where: { state: 'pending' } });
    expect(pending.filter((r) => r.nextAt.getTime() > now)).toEqual([]);
    expect(pending.some((r) => JSON.parse(r.payload).ticketId === other.id && r.kind === 'ticket_card')).toBe(true);
  });

  it('keeps each ticket’s count apart', async () => {
    const a = await residentTicket();
    const b = await residentTicket();
    await addResidentComment(core, { residentId: a.residentId, number: a.number, text: 'A' });
    await addResidentComment(core, { residentId: b.residentId, number: b.number, text: 'B' });
    expect(await notePages(a.ticketId)).toEqual([core.clock.now()]);
    expect(await notePages(b.ticketId)).toEqual([core.clock.now()]);
  });
});

describe('the paging rule', () => {
  const at = (min: number) => new Date(Date.UTC(2026, 10, 28, 6, min));
  const note = (min: number, data: string | null = null) => ({ at: at(min), type: 'note', actor: 'resident:1', data });
  const quiet = JSON.stringify({ staffPaged: false });

  it('pages with no earlier note, or when the last page is ten minutes old', () => {
    expect(notePagesStaff([], at(0))).toBe(true);
    expect(notePagesStaff([note(0)], at(10))).toBe(true);
    expect(notePagesStaff([note(0)], at(9))).toBe(false);
  });
  it('counts from the last note that paged, not from the quiet ones', () => {
    expect(notePagesStaff([note(0), note(5, quiet), note(9, quiet)], at(10))).toBe(true);
  });
  it('does not count the filing, a reopen or staff notes', () => {
    const others = [
      { at: at(0), type: 'created', actor: 'resident:1', data: null },
      { at: at(1), type: 'reopened', actor: 'resident:1', data: null },
      { at: at(2), type: 'note', actor: 'staff:agent01', data: null },
    ];
    expect(notePagesStaff(others, at(3))).toBe(true);
  });
});
