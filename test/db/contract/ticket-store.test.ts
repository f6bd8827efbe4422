/**
 * The ticket store on the database under test (SQLite file, or PostgreSQL when
 * TEST_DATABASE_URL is set): a step's plan, as the core decides it, is stored whole or not at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors.js';
import type { Ticket } from '../../../src/core/model.js';
import type { TicketForStep, TicketStore } from '../../../src/core/ports/ticket-store.js';
import { computeDeadlines } from '../../../src/core/deadlines/time-limits.js';
import { alertRows } from '../../../src/core/deadlines/schedule-alerts.js';
import { callbackAlertKeys } from '../../../src/core/tickets/start-callback.js';
import { planStep, type StepInput } from '../../../src/core/tickets/transition-ticket.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
let store: TicketStore;
beforeAll(async () => {
  core = await makeTestCore({ start: '2026-11-30T01:00:00Z' }); // Monday 09:00 in Hohhot
  store = core.stores.tickets;
});
afterAll(() => core?.close());

let seq = 0;

/** A ticket as intake leaves it: dispatched to its branch with its deadlines and their alerts. */
async function filed(over: Partial<Ticket> = {}): Promise<TicketForStep> {
  const at = core.clock.now();
  const base = {
    number: `T20261130-${String(++seq).padStart(4, '0')}`,
    kind: 'complaint' as const,
    category: 'billing' as const,
    scope: 'secondary' as const,
    severity: 'normal' as const,
    source: 'hotline',
    status: 'dispatched',
    description: '多收热费',
    firstResponder: 'staff:agent01',
    branchId: 'xincheng',
    unitId: 'xincheng-billing',
    createdAt: at,
    dispatchedAt: at,
    ...over,
  };
  const d = computeDeadlines(core.org.config, base.branchId, base, at);
  const t = await core.db.ticket.create({ data: { ...base, ackDueAt: d.ackDueAt, arriveDueAt: d.arriveDueAt, resolveDueAt: d.resolveDueAt } });
  for (const a of alertRows(core.org.config, t, at)) await core.db.scheduledAlert.create({ data: a });
  return (await store.forStep({ id: t.id }))!;
}

function plan(loaded: TicketForStep, input: Omit<StepInput, 'number'>) {
  const steps = planStep(core.org, loaded, { number: loaded.ticket.number, ...input }, core.clock.now());
  return { ticketId: loaded.ticket.id, version: loaded.ticket.version, steps, at: core.clock.now() };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  return 'no error';
}

const stored = async (ticketId: number) => ({
  ticket: await core.db.ticket.findUniqueOrThrow({ where: { id: ticketId } }),
  events: await core.db.ticketEvent.findMany({ where: { ticketId }, orderBy: { id: 'asc' } }),
  pending: (await core.db.scheduledAlert.findMany({ where: { ticketId, firedAt: null } })).map((a) => a.key).sort(),
  callbacks: await core.db.callback.findMany({ where: { ticketId } }),
  messages: (await core.db.outboxMessage.findMany({ where: { payload: { contains: `"ticketId":${ticketId},` } }, orderBy: { id: 'asc' } })).map((m) => m.key),
});

describe('the ticket store', () => {
  it('reads a ticket by number and by id, with the chat of the resident who reported it', async () => {
    const resident = await core.db.resident.create({ data: { telegramUserId: '9001', chatId: '9001' } });
    const t = await filed({ residentId: resident.id, source: 'telegram', firstResponder: 'telegram' });
    const byNumber = await store.forStep({ number: t.ticket.number });
    expect(byNumber).toEqual({ ticket: t.ticket, residentChatId: '9001' });
    expect(byNumber!.ticket.createdAt).toBeInstanceOf(Date);
    expect(byNumber!.ticket.verified).toBe(false);
    expect(await store.forStep({ id: t.ticket.id })).toEqual(byNumber);
    expect(await store.forStep({ number: 'T19990101-0001' })).toBeNull();
  });

  it('stores a step with its event, its messages, and the alerts of the deadline it met', async () => {
    const t = await filed();
    const out = await store.applyStep(plan(t, { action: 'accept', actor: 'staff:xincheng-billing' }));
    const s = await stored(t.ticket.id);
    expect(out.ticket).toMatchObject({ status: 'accepted', version: t.ticket.version + 1, assigneeId: 'xincheng-billing' });
    expect(out.ticket.acceptedAt?.toISOString()).toBe(core.clock.now().toISOString());
    expect(s.events.map((e) => [e.id, e.type, e.fromStatus, e.toStatus])).toEqual([[out.eventIds[0], 'accepted', 'dispatched', 'accepted']]);
    expect(s.pending.every((k) => !k.includes(':ack_'))).toBe(true);
    expect(s.pending.some((k) => k.includes(':resolve_'))).toBe(true);
    expect(s.messages).toEqual([`card:${t.ticket.id}:${out.eventIds[0]}`]);
  });

  it('a step with a stale version stores nothing', async () => {
    const t = await filed();
    await store.applyStep(plan(t, { action: 'accept', actor: 'staff:xincheng-coord' }));
    const before = await stored(t.ticket.id);
    // decided on the version read before the accept
    const stale = plan(t, { action: 'transfer', actor: 'staff:xincheng-coord', branchId: 'huimin', note: '地址属回民区' });
    expect(await codeOf(store.applyStep(stale))).toBe('concurrent_update');
    expect(await stored(t.ticket.id)).toEqual(before);
  });

  it('a resolve of a complaint opens its callback in the same transaction', async () => {
    const t = await filed({ status: 'accepted', acceptedAt: core.clock.now() });
    const out = await store.applyStep(plan(t, { action: 'resolve', actor: 'staff:xincheng-billing', note: '已退多收热费' }));
    const s = await stored(t.ticket.id);
    expect(out.ticket).toMatchObject({ status: 'callback', version: t.ticket.version + 2 });
    expect(s.callbacks).toEqual([expect.objectContaining({ channel: 'phone', status: 'pending', attempts: 0, customerKey: `ticket:${t.ticket.id}` })]);
    const cb = s.callbacks[0];
    expect(s.events.map((e) => [e.type, e.actor, e.fromStatus, e.toStatus])).toEqual([
      ['resolved', 'staff:xincheng-billing', 'accepted', 'resolved'],
      ['callback_requested', 'system', 'resolved', 'callback'],
    ]);
    expect(out.eventIds).toEqual(s.events.map((e) => e.id));
    expect(JSON.parse(s.events[1].data!)).toEqual({ channel: 'phone', callbackId: cb.id });
    // the deadlines are met; what is left is the callback's own time-out
    expect(s.pending).toEqual([callbackAlertKeys(cb.id).overdue]);
    expect(s.messages).toEqual([`card:${t.ticket.id}:${out.eventIds[0]}`, `cbt:${cb.id}`]);
  });

  it('a resolve of a kind with no callback closes it as a step of the status machine', async () => {
    const t = await filed({ kind: 'consultation', category: 'other', unitId: 'xincheng-office', status: 'accepted' });
    const out = await store.applyStep(plan(t, { action: 'resolve', actor: 'staff:xincheng-coord', note: '已答复' }));
    const s = await stored(t.ticket.id);
    expect(out.ticket).toMatchObject({ status: 'closed', version: t.ticket.version + 2 });
    expect(out.ticket.closedAt?.toISOString()).toBe(core.clock.now().toISOString());
    expect(s.events.map((e) => [e.type, e.actor, e.fromStatus, e.toStatus])).toEqual([
      ['resolved', 'staff:xincheng-coord', 'accepted', 'resolved'],
      ['closed', 'system', 'resolved', 'closed'],
    ]);
    expect(s.callbacks).toEqual([]);
  });

  it('stores nothing of a resolve whose follow-on step fails', async () => {
    const t = await filed({ status: 'on_site' });
    const before = await stored(t.ticket.id);
    const p = plan(t, { action: 'resolve', actor: 'staff:xincheng-billing', note: '已处理', form: { workDone: '核对账单' } });
    p.steps[1] = {
      ...p.steps[1],
      owed: () => {
        throw new Error('the callback could not be planned');
      },
    };
    await expect(store.applyStep(p)).rejects.toThrow('the callback could not be planned');
    expect(await stored(t.ticket.id)).toEqual(before);
    expect(await core.db.serviceForm.findUnique({ where: { ticketId: t.ticket.id } })).toBeNull();
  });

  it('writes the service form with the resolve, and a second resolve rewrites it (R8f)', async () => {
    const t = await filed({ status: 'on_site' });
    await store.applyStep(
      plan(t, { action: 'resolve', actor: 'staff:xincheng-billing', note: '已处理', form: { workDone: '核对账单', feesCents: 1200, signed: true } }),
    );
    const form = await core.db.serviceForm.findUniqueOrThrow({ where: { ticketId: t.ticket.id } });
    expect(form).toMatchObject({ workDone: '核对账单', feesCents: 1200, signed: true, customerConfirmed: false, createdBy: 'staff:xincheng-billing' });
    await core.db.ticket.update({ where: { id: t.ticket.id }, data: { status: 'on_site' } });
    const again = (await store.forStep({ id: t.ticket.id }))!;
    await store.applyStep(plan(again, { action: 'resolve', actor: 'staff:xincheng-coord', note: '重新处理', form: { workDone: '退费' } }));
    expect(await core.db.serviceForm.findUniqueOrThrow({ where: { ticketId: t.ticket.id } })).toMatchObject({
      id: form.id,
      workDone: '退费',
      feesCents: 0,
      signed: false,
      createdBy: 'staff:xincheng-coord',
    });

    const confirmed = await store.confirmForm(form.id, { confirmedAt: core.clock.now(), customerOpinion: '满意' });
    expect(confirmed).toMatchObject({ id: form.id, customerConfirmed: true, customerOpinion: '满意' });
    expect(confirmed.confirmedAt?.toISOString()).toBe(core.clock.now().toISOString());
  });

  it('a transfer within the branch keeps the clock and its alerts (R29: no fresh time for moving a case between units)', async () => {
    const t = await filed();
    const due = t.ticket.resolveDueAt!;
    const before = await stored(t.ticket.id);
    core.clock.set(new Date(due.getTime() - 60_000));
    const out = await store.applyStep(plan(t, { action: 'transfer', actor: 'staff:xincheng-coord', unitId: 'xincheng-office', note: '属服务态度问题' }));
    const s = await stored(t.ticket.id);
    expect(out.ticket).toMatchObject({ branchId: 'xincheng', unitId: 'xincheng-office', transferCount: 1, status: 'dispatched' });
    expect(out.ticket.resolveDueAt?.toISOString()).toBe(due.toISOString());
    expect(out.ticket.ackDueAt?.toISOString()).toBe(t.ticket.ackDueAt?.toISOString());
    expect(s.pending).toEqual(before.pending);
    expect(JSON.parse(s.events[0].data!)).toMatchObject({ fromUnitId: 'xincheng-billing', unitId: 'xincheng-office', clock: 'kept' });
    core.clock.set('2026-11-30T01:00:00Z');
  });

  it('a transfer to another branch starts its deadlines again, with a new generation of alerts', async () => {
    const t = await filed();
    const fired = (await core.db.scheduledAlert.findFirstOrThrow({ where: { ticketId: t.ticket.id, kind: 'ack_overdue' } })).key;
    await core.db.scheduledAlert.update({ where: { key: fired }, data: { firedAt: core.clock.now() } });
    core.clock.set('2026-11-30T03:00:00Z'); // Monday 11:00 local
    const out = await store.applyStep(plan(t, { action: 'transfer', actor: 'staff:agent01', branchId: 'huimin', note: '地址属回民区' }));
    const s = await stored(t.ticket.id);
    const fresh = computeDeadlines(core.org.config, 'huimin', t.ticket, core.clock.now());
    expect(out.ticket).toMatchObject({ branchId: 'huimin', unitId: 'huimin-billing', overdueAt: null });
    expect(out.ticket.resolveDueAt?.toISOString()).toBe(fresh.resolveDueAt!.toISOString());
    expect(s.pending).toEqual(
      alertRows(core.org.config, { ...out.ticket }, core.clock.now(), `transfer${t.ticket.version + 1}`)
        .map((a) => a.key)
        .sort(),
    );
    // what already fired stays on record
    expect(await core.db.scheduledAlert.findUnique({ where: { key: fired } })).not.toBeNull();
    expect(JSON.parse(s.events[0].data!)).toMatchObject({ fromBranchId: 'xincheng', branchId: 'huimin', clock: 'restarted' });
    core.clock.set('2026-11-30T01:00:00Z');
  });

  it('a callback answer and its reopen are stored together, and the reopen starts the clock again', async () => {
    const t = await filed({ status: 'accepted' });
    await store.applyStep(plan(t, { action: 'resolve', actor: 'staff:xincheng-billing', note: '已处理' }));
    const { callback: cb, ticket: loaded } = (await store.callbackForStep((await core.db.callback.findFirstOrThrow({ where: { ticketId: t.ticket.id } })).id))!;
    expect(loaded.ticket.status).toBe('callback');
    core.clock.set('2026-11-30T05:00:00Z');
    const p = plan(loaded, { action: 'reopen', actor: 'staff:agent01', satisfaction: 'dissatisfied' });
    p.steps[0].cancelAlertKeys.push(...Object.values(callbackAlertKeys(cb.id)));
    const claim = { id: cb.id, change: { status: 'answered' as const, result: 'dissatisfied' as const, answeredAt: core.clock.now(), agentId: 'agent01' } };
    const out = await store.applyStep({ ...p, claim });
    expect(out.callback).toMatchObject({ id: cb.id, status: 'answered', result: 'dissatisfied', attempts: 1, agentId: 'agent01' });
    expect(out.ticket).toMatchObject({ status: 'dispatched', reopenCount: 1, satisfaction: 'dissatisfied' });
    const s = await stored(t.ticket.id);
    expect(s.pending.length).toBeGreaterThan(0);
    expect(s.pending.every((k) => k.endsWith(`:reopen${loaded.ticket.version + 1}`))).toBe(true);
    core.clock.set('2026-11-30T01:00:00Z');
  });

  it('a callback answered meanwhile makes the step that follows from another answer store nothing', async () => {
    const t = await filed({ status: 'accepted' });
    await store.applyStep(plan(t, { action: 'resolve', actor: 'staff:xincheng-billing', note: '已处理' }));
    const { callback: cb, ticket: loaded } = (await store.callbackForStep((await core.db.callback.findFirstOrThrow({ where: { ticketId: t.ticket.id } })).id))!;
    // the resident answered in the bot while the agent was on the phone
    await store.claimCallback({ id: cb.id, change: { status: 'answered', result: 'satisfied', answeredAt: core.clock.now() } });
    const before = await stored(t.ticket.id);
    const p = plan(loaded, { action: 'close', actor: 'staff:agent01', satisfaction: 'fairly' });
    const claim = { id: cb.id, change: { status: 'answered' as const, result: 'fairly' as const, answeredAt: core.clock.now(), agentId: 'agent01' } };
    expect(await codeOf(store.applyStep({ ...p, claim }))).toBe('already_answered');
    expect(await stored(t.ticket.id)).toEqual(before);
    expect(before.callbacks[0]).toMatchObject({ result: 'satisfied', attempts: 1, agentId: null });
  });

  it('an attempt that raced another attempt on the same callback stores nothing', async () => {
    const t = await filed({ status: 'accepted' });
    await store.applyStep(plan(t, { action: 'resolve', actor: 'staff:xincheng-billing', note: '已处理' }));
    const cb = await core.db.callback.findFirstOrThrow({ where: { ticketId: t.ticket.id } });
    const attempt = (agentId: string) => store.claimCallback({ id: cb.id, attempts: cb.attempts, change: { agentId, channel: 'phone' } });
    expect(await attempt('agent01')).toMatchObject({ status: 'pending', attempts: 1, agentId: 'agent01' });
    expect(await codeOf(attempt('agent02'))).toBe('already_answered');
    expect(await core.db.callback.findUniqueOrThrow({ where: { id: cb.id } })).toMatchObject({ attempts: 1, agentId: 'agent01' });
  });

  it("reads a ticket's events of one type, oldest first", async () => {
    const t = await filed();
    await store.applyStep(plan(t, { action: 'accept', actor: 'staff:xincheng-coord' }));
    const [accepted] = await store.events(t.ticket.id, 'accepted');
    expect(accepted).toMatchObject({ ticketId: t.ticket.id, type: 'accepted', actor: 'staff:xincheng-coord', data: null });
    expect(accepted.at).toBeInstanceOf(Date);
    expect(await store.events(t.ticket.id, 'closed')).toEqual([]);
  });
});
