/**
 * The intake store on the database under test (SQLite file, or PostgreSQL when
 * TEST_DATABASE_URL is set): filing behaves the same on both, numbers included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors.js';
import type { Ticket } from '../../../src/core/model.js';
import type { AlertRow, EventDraft, Filing, TicketDraft } from '../../../src/core/ports/intake-store.js';
import type { OutboxRow } from '../../../src/core/outbox/enqueue.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
let residentId: number;
beforeAll(async () => {
  core = await makeTestCore();
  const at = core.clock.now();
  residentId = (await core.db.resident.create({ data: { telegramUserId: '501', chatId: '501', locale: 'zh-CN', createdAt: at, updatedAt: at } })).id;
});
afterAll(() => core?.close());

const DAY = 'T20261128';

function draft(over: Partial<TicketDraft> = {}): TicketDraft {
  const at = core.clock.now();
  return {
    kind: 'complaint',
    category: 'no_heat',
    scope: 'secondary',
    severity: 'normal',
    source: 'hotline',
    status: 'received',
    description: '暖气不热',
    topic: null,
    customerId: null,
    residentId: null,
    verified: false,
    contactName: null,
    contactPhone: null,
    communityId: null,
    address: null,
    building: null,
    unit: null,
    room: null,
    firstResponder: 'staff:agent01',
    branchId: null,
    unitId: null,
    paidMaterials: null,
    incidentId: null,
    ackDueAt: new Date(at.getTime() + 15 * 60_000),
    arriveDueAt: null,
    resolveDueAt: null,
    createdAt: at,
    dispatchedAt: null,
    updatedAt: at,
    ...over,
  };
}

const created = (): EventDraft => ({
  at: core.clock.now(),
  type: 'created',
  actor: 'staff:agent01',
  fromStatus: null,
  toStatus: 'received',
  note: null,
  data: null,
});

function filing(over: Partial<Filing> = {}): Filing {
  const at = core.clock.now();
  const deadlines = [{ name: 'ack' as const, startedAt: at, dueAt: new Date(at.getTime() + 15 * 60_000) }];
  return { counter: DAY, ticket: draft(), events: [created()], photos: [], deadlines, owes: () => ({ messages: [], alerts: [] }), ...over };
}

function message(key: string): OutboxRow {
  const at = core.clock.now();
  return {
    key,
    platform: 'slack',
    target: 'C-DISPATCH',
    kind: 'ticket_card',
    payload: '{}',
    state: 'pending',
    attempts: 0,
    nextAt: at,
    createdAt: at,
    priority: 2,
  };
}

const alert = (ticketId: number, key: string): AlertRow => ({
  key,
  ticketId,
  kind: 'ack_overdue',
  dueAt: new Date(core.clock.now().getTime() + 60_000),
  data: null,
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e.code;
    return 'failed';
  }
  return 'no error';
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; keys?: unknown }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, keys: e.context.keys };
    throw e;
  }
  return { code: 'no error' };
}

const seq = (t: Pick<Ticket, 'number'>) => Number(t.number.split('-')[1]);
const count = async () => ({ tickets: await core.db.ticket.count(), events: await core.db.ticketEvent.count(), outbox: await core.db.outboxMessage.count() });

describe('the intake store', () => {
  it('a report gets the next number of its kind and day', async () => {
    const a = await core.stores.intake.file(filing());
    const b = await core.stores.intake.file(filing());
    expect(b.number).toBe(`${DAY}-${String(seq(a) + 1).padStart(4, '0')}`);
    expect((await core.stores.intake.file(filing({ counter: 'S20261128' }))).number).toBe('S20261128-0001');
    expect((await core.stores.intake.file(filing({ counter: 'T20261129' }))).number).toBe('T20261129-0001');
  });

  it('the stored ticket is what file returns, the schema defaults included', async () => {
    const t = await core.stores.intake.file(
      filing({ ticket: draft({ verified: true, residentId, contactName: '王', branchId: 'xincheng', status: 'dispatched' }) }),
    );
    const stored = await core.db.ticket.findUniqueOrThrow({ where: { id: t.id } });
    expect(t).toEqual(stored);
    expect(t).toMatchObject({ version: 0, transferCount: 0, reopenCount: 0, conductConfirmed: false, assigneeId: null, satisfaction: null, verified: true });
  });

  it('stores the first complaint a repeat complaint repeats (R30), and reads it back', async () => {
    const first = await core.stores.intake.file(filing());
    expect(first.repeatOfId).toBeNull();
    const again = await core.stores.intake.file(filing({ ticket: draft({ repeatOfId: first.id }) }));
    expect(again.repeatOfId).toBe(first.id);
    expect((await core.db.ticket.findUniqueOrThrow({ where: { id: again.id } })).repeatOfId).toBe(first.id);
    expect((await core.stores.tickets.forStep({ id: again.id }))?.ticket.repeatOfId).toBe(first.id);
  });

  it('stores the events, photos, messages and alerts, keyed by the ids the rows got', async () => {
    const dispatched: EventDraft = { ...created(), type: 'dispatched', actor: 'system', fromStatus: 'received', toStatus: 'dispatched' };
    let seen: { ticketId: number; eventIds: number[] } | undefined;
    const t = await core.stores.intake.file(
      filing({
        events: [created(), dispatched],
        photos: [{ fileId: 'photo-1', createdAt: core.clock.now() }],
        owes: (ids) => {
          seen = ids;
          return { messages: [message(`card:${ids.ticketId}:${ids.eventIds[1]}`)], alerts: [alert(ids.ticketId, `ticket:${ids.ticketId}:ack_overdue:0`)] };
        },
      }),
    );
    const events = await core.db.ticketEvent.findMany({ where: { ticketId: t.id }, orderBy: { id: 'asc' } });
    expect(seen).toEqual({ ticketId: t.id, eventIds: events.map((e) => e.id) });
    expect(events.map((e) => e.type)).toEqual(['created', 'dispatched']);
    expect((await core.db.ticketPhoto.findMany({ where: { ticketId: t.id } })).map((p) => p.fileId)).toEqual(['photo-1']);
    expect(await core.db.outboxMessage.findUnique({ where: { key: `card:${t.id}:${events[1].id}` } })).toMatchObject({ state: 'pending', kind: 'ticket_card' });
    expect(await core.db.scheduledAlert.findUnique({ where: { key: `ticket:${t.id}:ack_overdue:0` } })).toMatchObject({ ticketId: t.id, firedAt: null });
  });

  it('a message or alert owed already is kept as it is, not doubled, and the filing goes through', async () => {
    const t = await core.stores.intake.file(
      filing({ owes: ({ ticketId }) => ({ messages: [message('shared:1')], alerts: [alert(ticketId, 'shared:alert')] }) }),
    );
    const again = await core.stores.intake.file(
      filing({ owes: ({ ticketId }) => ({ messages: [message('shared:1')], alerts: [alert(ticketId, 'shared:alert')] }) }),
    );
    expect(seq(again)).toBe(seq(t) + 1);
    expect(await core.db.outboxMessage.count({ where: { key: 'shared:1' } })).toBe(1);
    expect((await core.db.scheduledAlert.findUniqueOrThrow({ where: { key: 'shared:alert' } })).ticketId).toBe(t.id);
  });

  it('a replayed Submit is refused and stores nothing', async () => {
    const first = await core.stores.intake.file(filing({ onceKeys: ['telegram:submit:1'] }));
    const before = await count();
    expect(
      await codeOf(core.stores.intake.file(filing({ onceKeys: ['telegram:submit:1'], owes: () => ({ messages: [message('replay:1')], alerts: [] }) }))),
    ).toBe('already_filed');
    expect(await count()).toEqual(before);
    expect(await core.db.inboundReceipt.count({ where: { key: 'telegram:submit:1' } })).toBe(1);
    // the refused one drew no number
    expect(seq(await core.stores.intake.file(filing()))).toBe(seq(first) + 1);
  });

  it('a filing with several receipts is refused if any of them is stored, names which, and stores none of the others', async () => {
    const first = await core.stores.intake.file(filing({ onceKeys: ['telegram:7001', 'telegram:once:proposal:501:1'] }));
    const before = await count();
    // the update redelivered after a crash: its own key is stored with the ticket
    const replay = await refusal(core.stores.intake.file(filing({ onceKeys: ['telegram:7001', 'telegram:once:proposal:501:1'] })));
    expect(replay).toEqual({ code: 'already_filed', keys: ['telegram:7001', 'telegram:once:proposal:501:1'] });
    // a second tap on the same Submit, another update: only the tap's key is stored
    const tapAgain = await refusal(core.stores.intake.file(filing({ onceKeys: ['telegram:7002', 'telegram:once:proposal:501:1'] })));
    expect(tapAgain).toEqual({ code: 'already_filed', keys: ['telegram:once:proposal:501:1'] });
    expect(await count()).toEqual(before);
    expect(await core.db.inboundReceipt.count({ where: { key: 'telegram:7002' } })).toBe(0);
    // a fresh update with a fresh key files, the number next to the first
    expect(seq(await core.stores.intake.file(filing({ onceKeys: ['telegram:7002', 'telegram:once:proposal:501:2'] })))).toBe(seq(first) + 1);
    expect(await core.db.inboundReceipt.count({ where: { key: { in: ['telegram:7002', 'telegram:once:proposal:501:2'] } } })).toBe(2);
  });

  it('two filings of one update at once: one ticket', async () => {
    const before = await core.db.ticket.count();
    const both = await Promise.allSettled([
      core.stores.intake.file(filing({ onceKeys: ['telegram:7100'] })),
      core.stores.intake.file(filing({ onceKeys: ['telegram:7100'] })),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await core.db.ticket.count()).toBe(before + 1);
  });

  it('a failed filing leaves no gap in the day’s numbers, and no receipt', async () => {
    const before = await core.stores.intake.file(filing());
    const broken: EventDraft = { ...created(), type: null as unknown as string }; // NOT NULL: fails after the number and ticket are written
    expect(await codeOf(core.stores.intake.file(filing({ events: [created(), broken], onceKeys: ['telegram:submit:2'] })))).toBe('failed');
    expect(
      await codeOf(
        core.stores.intake.file(
          filing({
            owes: () => {
              throw new Error('planning failed');
            },
          }),
        ),
      ),
    ).toBe('failed');
    const after = await core.stores.intake.file(filing({ onceKeys: ['telegram:submit:2'] }));
    expect(seq(after)).toBe(seq(before) + 1);
    expect(await core.db.ticket.count({ where: { number: { gt: before.number, lt: after.number } } })).toBe(0);
  });

  it('filings sharing a commit keep their numbers gap-free when one of them fails', async () => {
    const base = seq(await core.stores.intake.file(filing()));
    const broken: EventDraft = { ...created(), type: null as unknown as string };
    const results = await Promise.allSettled([
      core.stores.intake.file(filing()),
      core.stores.intake.file(filing({ events: [broken] })),
      core.stores.intake.file(filing()),
      core.stores.intake.file(filing()),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const numbers = results.flatMap((r) => (r.status === 'fulfilled' ? [seq(r.value)] : [])).sort((a, b) => a - b);
    expect(numbers).toEqual([base + 1, base + 2, base + 3]);
  });

  it('counts a resident’s reports since an instant, and when the first of them was', async () => {
    const start = core.clock.now();
    expect(await core.stores.intake.reportsSince(residentId, start)).toEqual({ count: 0, first: null });
    core.clock.advance(1_000);
    const first = core.clock.now();
    await core.stores.intake.file(filing({ ticket: draft({ residentId }) }));
    core.clock.advance(1_000);
    await core.stores.intake.file(filing({ ticket: draft({ residentId }) }));
    expect(await core.stores.intake.reportsSince(residentId, start)).toEqual({ count: 2, first });
    expect((await core.stores.intake.reportsSince(residentId, first)).count).toBe(1);
  });

  it('a photo goes to the resident’s newest open ticket of the window, or is not stored', async () => {
    const other = (
      await core.db.resident.create({
        data: { telegramUserId: '502', chatId: '502', locale: 'zh-CN', createdAt: core.clock.now(), updatedAt: core.clock.now() },
      })
    ).id;
    const since = core.clock.now();
    const attach = (fileId: string) =>
      core.stores.intake.attachPhoto({ residentId: other, statuses: ['received', 'dispatched'], since, fileId, at: core.clock.now() });
    expect(await attach('lost')).toBeNull();
    core.clock.advance(1_000);
    await core.stores.intake.file(filing({ ticket: draft({ residentId: other }) }));
    const newest = await core.stores.intake.file(filing({ ticket: draft({ residentId: other }) }));
    await core.stores.intake.file(filing({ ticket: draft({ residentId: other, status: 'closed' }) }));
    expect(await attach('p-1')).toBe(newest.number);
    expect((await core.db.ticketPhoto.findMany({ where: { ticketId: newest.id } })).map((p) => p.fileId)).toEqual(['p-1']);
    expect(await core.db.ticketPhoto.count({ where: { fileId: 'lost' } })).toBe(0);
  });

  it('a resident’s note stores its event, answers the callback once, and owes its messages', async () => {
    const t = await core.stores.intake.file(filing());
    const cb = await core.db.callback.create({
      data: { ticketId: t.id, channel: 'telegram', status: 'answered', result: 'dissatisfied', createdAt: core.clock.now() },
    });
    const note = (text: string) =>
      core.stores.intake.addNote({
        ticketId: t.id,
        event: { at: core.clock.now(), type: 'note', actor: `resident:${residentId}`, fromStatus: null, toStatus: null, note: text, data: null },
        callback: { id: cb.id, comment: text },
        owes: (eventId) => [message(`card:${t.id}:${eventId}`)],
      });
    const id = await note('还是不热');
    await note('补充一句');
    expect(await core.db.ticketEvent.findUniqueOrThrow({ where: { id } })).toMatchObject({ ticketId: t.id, type: 'note', note: '还是不热' });
    expect((await core.db.callback.findUniqueOrThrow({ where: { id: cb.id } })).comment).toBe('还是不热');
    expect(await core.db.outboxMessage.count({ where: { key: `card:${t.id}:${id}` } })).toBe(1);
  });
});
