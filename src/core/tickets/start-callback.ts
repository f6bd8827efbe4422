/**
 * After the branch's reply (resolve), HQ calls back (R8h). A resident who reached us through
 * the bot is asked there first (a heating repair a while later, once the radiators had time to
 * warm up: residentAsk); anyone else, or a resident who does not answer in time
 * (escalation.callbackBotTimeout, from when the bot asked), becomes a phone callback task for the centre. Kinds the
 * time-limit table gives no callback (questions, suggestions) are closed with the reply.
 * Either way it is a step of the status machine, planned here and stored with the resolve.
 */
import { computeDeadlines } from '../deadlines/time-limits.js';
import type { Ticket } from '../model.js';
import type { Org } from '../org/org.js';
import type { OutboxItem } from '../outbox/enqueue.js';
import type { NewAlert, PlannedStep } from '../ports/ticket-store.js';
import { nextStatus } from './status-machine.js';

/** The keys of a callback's alerts (the question asked later, the time-outs): written when it opens, removed when it is answered. */
export function callbackAlertKeys(callbackId: number) {
  return { botTimeout: `callback:${callbackId}:bot_timeout`, overdue: `callback:${callbackId}:overdue`, ask: `callback:${callbackId}:ask` };
}

/** Alert kinds that ask the resident later: "暖气现在热了吗？" then the rating, or the rating alone. */
export const WARM_CHECK = 'callback_warm_check';
export const LATER_RATING = 'callback_later_rating';

/** Categories a repair fixes only once the water has gone round: the resident can judge after a while. */
const HEATING = new Set(['no_heat', 'leak', 'noise_pressure', 'other']);

/**
 * When the resident is asked about a resolved ticket by the bot. A heating repair: "are the
 * radiators warm now?" after escalation.warmCheck, then the rating. Paid work (a radiator
 * replaced, a flush): the rating alone after the same wait, since the resident can judge it only
 * once it has warmed up, but "still cold" is not a fault of the heating the company owes.
 * Billing and staff conduct: at once, since the answer given is all there is to judge.
 */
export function residentAsk(t: Pick<Ticket, 'kind' | 'category'>): 'warm' | 'later' | 'now' {
  if (t.kind === 'paid_service') return 'later';
  return HEATING.has(t.category) ? 'warm' : 'now';
}

/** The bot's question unanswered this long after it was asked: a phone callback task instead. */
export function botTimeoutAlert(org: Org, ticketId: number, callbackId: number, askedAt: Date): NewAlert {
  return {
    key: callbackAlertKeys(callbackId).botTimeout,
    ticketId,
    kind: 'callback_bot_timeout',
    dueAt: new Date(askedAt.getTime() + org.config.escalation.callbackBotTimeoutMinutes * 60_000),
    data: JSON.stringify({ callbackId }),
  };
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
        const ask = residentAsk(t);
        if (ask === 'now') {
          messages.push({ key: `cbq:${id}`, platform: 'telegram', target: residentChatId, kind: 'callback_question', payload });
          alerts.push(botTimeoutAlert(org, t.id, id, now));
        } else {
          // asked later through a scheduled alert rather than an outbox row due later: the outbox
          // keeps each chat's order, so a row waiting two hours would hold back every message to
          // the chat behind it. The bot's time-out is set when the question is asked.
          const dueAt = new Date(now.getTime() + org.config.escalation.warmCheckMinutes * 60_000);
          const later = JSON.stringify({ callbackId: id, chatId: residentChatId });
          alerts.push({ key: keys.ask, ticketId: t.id, kind: ask === 'warm' ? WARM_CHECK : LATER_RATING, dueAt, data: later });
        }
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
