/**
 * After the branch's reply (resolve), HQ calls back (R8h). A resident who reached us through
 * the bot is asked there first; anyone else, or a resident who does not answer in time
 * (escalation.callbackBotTimeout), becomes a phone callback task for the centre. Kinds the
 * time-limit table gives no callback (questions, suggestions) are closed with the reply.
 * Either way it is a step of the status machine, planned here and stored with the resolve.
 */
import { computeDeadlines } from '../deadlines/time-limits.js';
import type { Ticket } from '../model.js';
import type { Org } from '../org/org.js';
import type { OutboxItem } from '../outbox/enqueue.js';
import type { NewAlert, PlannedStep } from '../ports/ticket-store.js';
import { nextStatus } from './status-machine.js';

/** The keys of a callback's time-outs: written when it opens, removed when it is answered. */
export function callbackAlertKeys(callbackId: number) {
  return { botTimeout: `callback:${callbackId}:bot_timeout`, overdue: `callback:${callbackId}:overdue` };
}

/** The step that follows a resolve: request_callback, or close for kinds with no callback. */
export function planCallbackStep(org: Org, t: Ticket, residentChatId: string | null, now: Date): PlannedStep {
  const { callbackMinutes } = computeDeadlines(org.config, t.branchId, t, now);
  const common = { cancelAlertKinds: [], cancelAlertKeys: [], alerts: [], form: null };
  if (callbackMinutes === null) {
    const status = nextStatus(t.status, 'close');
    return {
      ...common,
      status,
      patch: { closedAt: now },
      event: { type: 'closed', actor: 'system', fromStatus: t.status, toStatus: status, note: null, data: null },
      openCallback: null,
      owed: () => ({ messages: [], alerts: [] }),
    };
  }
  const status = nextStatus(t.status, 'request_callback');
  const channel = residentChatId ? 'telegram' : 'phone';
  const callbackDue = new Date(now.getTime() + callbackMinutes * 60_000);
  const centre = org.config.centre.channels.callbacks;
  return {
    ...common,
    status,
    patch: {},
    event: { type: 'callback_requested', actor: 'system', fromStatus: t.status, toStatus: status, note: null, data: { channel } },
    openCallback: { channel, customerKey: customerKey(t) },
    // the callback's deadline runs from the resolve, in the generation the resolve finished
    deadlines: { meet: [], supersede: [], open: [{ name: 'callback', startedAt: now, dueAt: callbackDue }], generation: 'current', redue: [] },
    owed: ({ callbackId }) => {
      const id = callbackId!;
      const keys = callbackAlertKeys(id);
      const data = JSON.stringify({ callbackId: id });
      const payload = { ticketId: t.id, callbackId: id };
      const messages: OutboxItem[] = [];
      const alerts: NewAlert[] = [];
      if (residentChatId) {
        messages.push({ key: `cbq:${id}`, platform: 'telegram', target: residentChatId, kind: 'callback_question', payload });
        const timeout = new Date(now.getTime() + org.config.escalation.callbackBotTimeoutMinutes * 60_000);
        alerts.push({ key: keys.botTimeout, ticketId: t.id, kind: 'callback_bot_timeout', dueAt: timeout, data });
      } else if (centre) {
        messages.push({ key: `cbt:${id}`, platform: 'slack', target: centre, kind: 'callback_task', payload });
      }
      alerts.push({ key: keys.overdue, ticketId: t.id, kind: 'callback_overdue', dueAt: callbackDue, data });
      return { messages, alerts };
    },
  };
}

/** Who is surveyed, for R28's once-per-period count. */
function customerKey(t: Ticket): string {
  if (t.customerId) return `customer:${t.customerId}`;
  if (t.residentId) return `resident:${t.residentId}`;
  if (t.contactPhone) return `phone:${t.contactPhone}`;
  return `ticket:${t.id}`;
}
