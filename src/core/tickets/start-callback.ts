/**
 * After the branch's reply (resolve), HQ calls back (R8h). A resident who reached us through
 * the bot is asked there first; anyone else, or a resident who does not answer in time
 * (escalation.callbackBotTimeout), becomes a phone callback task for the centre. Kinds the
 * time-limit table gives no callback (questions, suggestions) are closed with the reply.
 */
import type { Core, Tx } from '../context.js';
import { computeDeadlines } from '../deadlines/time-limits.js';
import { enqueue, type OutboxItem } from '../outbox/enqueue.js';
import type { Ticket } from '../../db/generated/sqlite/client.js';

export async function startCallback(core: Core, tx: Tx, t: Ticket, now: Date, residentChatId: string | null): Promise<Ticket> {
  const { callbackMinutes } = computeDeadlines(core.org.config, t.branchId, t as never, now);
  if (callbackMinutes === null) {
    const closed = await tx.ticket.update({ where: { id: t.id }, data: { status: 'closed', closedAt: now, version: { increment: 1 } } });
    await tx.ticketEvent.create({ data: { ticketId: t.id, at: now, type: 'closed', actor: 'system', fromStatus: t.status, toStatus: 'closed', note: null } });
    return closed;
  }
  const channel = residentChatId ? 'telegram' : 'phone';
  const callback = await tx.callback.create({
    data: {
      ticketId: t.id,
      channel,
      status: 'pending',
      createdAt: now,
      customerKey: t.customerId ? `customer:${t.customerId}` : t.residentId ? `resident:${t.residentId}` : t.contactPhone ? `phone:${t.contactPhone}` : `ticket:${t.id}`,
    },
  });
  const updated = await tx.ticket.update({ where: { id: t.id }, data: { status: 'callback', version: { increment: 1 } } });
  await tx.ticketEvent.create({
    data: { ticketId: t.id, at: now, type: 'callback_requested', actor: 'system', fromStatus: t.status, toStatus: 'callback', data: JSON.stringify({ channel, callbackId: callback.id }) },
  });
  const items: OutboxItem[] = [];
  if (channel === 'telegram') {
    items.push({ key: `cbq:${callback.id}`, platform: 'telegram', target: residentChatId!, kind: 'callback_question', payload: { ticketId: t.id, callbackId: callback.id } });
    const timeout = new Date(now.getTime() + core.org.config.escalation.callbackBotTimeoutMinutes * 60_000);
    await tx.scheduledAlert.create({
      data: { key: `callback:${callback.id}:bot_timeout`, ticketId: t.id, kind: 'callback_bot_timeout', dueAt: timeout, data: JSON.stringify({ callbackId: callback.id }) },
    });
  } else if (core.org.config.centre.channels.callbacks) {
    items.push({ key: `cbt:${callback.id}`, platform: 'slack', target: core.org.config.centre.channels.callbacks, kind: 'callback_task', payload: { ticketId: t.id, callbackId: callback.id } });
  }
  await tx.scheduledAlert.create({
    data: {
      key: `callback:${callback.id}:overdue`,
      ticketId: t.id,
      kind: 'callback_overdue',
      dueAt: new Date(now.getTime() + callbackMinutes * 60_000),
      data: JSON.stringify({ callbackId: callback.id }),
    },
  });
  await enqueue(tx, now, items);
  return updated;
}
