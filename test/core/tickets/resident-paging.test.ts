/**
 * A resident's notes page the branch at most once per ticket every ten minutes; every note is
 * still stored on the timeline. Real database, clock moved by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { addResidentComment } from '../../../src/core/residents/add-resident-comment.js';
import { meetResident } from '../../../src/core/residents/meet-resident.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { planResidentPage, RESIDENT_PAGE_GAP_MS } from '../../../src/core/tickets/resident-paging.js';
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

/** The pages the branch is owed for notes on the ticket: when each is due. */
async function notePages(ticketId: number): Promise<Date[]> {
  const rows = await core.db.outboxMessage.findMany({ where: { kind: 'ticket_card' }, orderBy: { id: 'asc' } });
  return rows.filter((r) => JSON.parse(r.payload).ticketId === ticketId && JSON.parse(r.payload).event === 'note').map((r) => r.nextAt);
}

const notesOf = (ticketId: number) => core.db.ticketEvent.count({ where: { ticketId, type: 'note' } });

describe('a resident’s notes and the branch', () => {
  it('a flood of notes pages the branch once at once and once more when ten minutes are up, every note on the timeline', async () => {
    const t = await residentTicket();
    const start = core.clock.now();
    for (let i = 0; i < 20; i++) {
      await addResidentComment(core, { residentId: t.residentId, number: t.number, text: `还是不热 ${i}` });
      core.clock.advance(15_000);
    }
    expect(await notesOf(t.ticketId)).toBe(20);
    expect(await notePages(t.ticketId)).toEqual([start, new Date(start.getTime() + RESIDENT_PAGE_GAP_MS)]);
  });

  it('a note more than ten minutes after the last page pages at once; one soon after a held page waits ten minutes from it', async () => {
    const t = await residentTicket();
    const t0 = core.clock.now().getTime();
    await addResidentComment(core, { residentId: t.residentId, number: t.number, text: '第一条' });
    core.clock.advance(2 * MINUTE);
    await addResidentComment(core, { residentId: t.residentId, number: t.number, text: '第二条' }); // held to t0+10
    core.clock.set(new Date(t0 + 11 * MINUTE));
    await addResidentComment(core, { residentId: t.residentId, number: t.number, text: '第三条' }); // held to t0+20
    core.clock.set(new Date(t0 + 31 * MINUTE));
    await addResidentComment(core, { residentId: t.residentId, number: t.number, text: '第四条' }); // at once
    expect((await notePages(t.ticketId)).map((d) => (d.getTime() - t0) / MINUTE)).toEqual([0, 10, 20, 31]);
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
  const note = (min: number, data: string | null = null) => ({ at: new Date(Date.UTC(2026, 10, 28, 6, min)), type: 'note', actor: 'resident:1', data });
  const at = (min: number) => new Date(Date.UTC(2026, 10, 28, 6, min));

  it('pages at once with no earlier note, or when the last page is ten minutes old', () => {
    expect(planResidentPage([], at(0))).toEqual({ page: 'now' });
    expect(planResidentPage([note(0)], at(10))).toEqual({ page: 'now' });
  });
  it('does not count the filing, a reopen or staff notes', () => {
    const others = [
      { at: at(0), type: 'created', actor: 'resident:1', data: null },
      { at: at(1), type: 'reopened', actor: 'resident:1', data: null },
      { at: at(2), type: 'note', actor: 'staff:agent01', data: null },
    ];
    expect(planResidentPage(others, at(3))).toEqual({ page: 'now' });
  });
  it('holds a note within ten minutes to the end of them, and one during a wait joins it', () => {
    expect(planResidentPage([note(0)], at(4))).toEqual({ page: 'later', at: at(10) });
    expect(planResidentPage([note(0), note(4, JSON.stringify({ pageAt: at(10).toISOString() }))], at(6))).toEqual({ page: 'later', at: at(10) });
  });
});
