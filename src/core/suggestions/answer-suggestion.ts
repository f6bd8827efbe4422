/**
 * Answers a suggestion (R17-R19): the words are stored as the resolve's result (who, when) and
 * the suggestion is finished at once: resolve, then the close a kind without a callback takes
 * (start-callback.ts), in one transaction. Suggestions are not surveyed for satisfaction (R28
 * counts complaints), so there is no callback. The resident who made it hears the answer in
 * Telegram (locales telegram.suggestions.answer_hq); a suggestion from the box with nobody behind it is
 * answered on the record only. The card in the HQ queue (or the branch's card) shows the answer.
 *
 * Refused, with nothing stored: not a suggestion (not_a_suggestion), someone who may not answer
 * it (forbidden, can-answer.ts), one answered or withdrawn already (invalid_transition with the
 * status it is in, stale when the caller saw another), empty words (validation_failed) and words
 * past REPLY_MAX_CHARS (reply_too_long).
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { Ticket } from '../model.js';
import type { Staff } from '../org/types.js';
import type { OutboxItem } from '../outbox/enqueue.js';
import type { PlannedStep } from '../ports/ticket-store.js';
import { deadlineAlertKinds } from '../deadlines/schedule-alerts.js';
import { eventActor, type ClientActor } from '../tickets/event-actor.js';
import { planCallbackStep } from '../tickets/start-callback.js';
import { REPLY_MAX_CHARS } from '../tickets/reply-to-resident.js';
import type { Status } from '../tickets/status-machine.js';
import { canAnswerSuggestion } from './can-answer.js';
import { closedWebhookItems } from '../open311/closed-webhook.js';

/** The statuses a suggestion can be answered in: not yet resolved, not withdrawn. */
const OPEN: readonly Status[] = ['received', 'dispatched', 'accepted', 'on_site'];

export interface AnswerSuggestionInput {
  number: string;
  staff: Staff | undefined;
  text: string;
  /** the status the caller saw (the card's button); an answer given meanwhile is not overwritten */
  expectedStatus?: Status;
  /** the API client answering for the staff member (the event names it, with the staff member as onBehalfOf) */
  via?: ClientActor;
}

/** The outbox key of a suggestion's answer to its resident: one answer per suggestion. */
export const answerKey = (ticketId: number) => `sanswer:${ticketId}`;

export async function answerSuggestion(core: Core, input: AnswerSuggestionInput): Promise<{ ticket: Ticket; eventId: number }> {
  const number = input.number.trim().toUpperCase();
  const loaded = await core.stores.tickets.forStep({ number });
  if (!loaded) throw new AppError('ticket_not_found', `no ticket ${number}`, { number });
  const t = loaded.ticket;
  if (t.kind !== 'suggestion') throw new AppError('not_a_suggestion', `${t.number} is a ${t.kind}, not a suggestion`, { number: t.number, kind: t.kind });
  const may = canAnswerSuggestion(core.org, input.staff, t);
  if (!may.allowed)
    throw new AppError('forbidden', `${input.staff?.id ?? 'unknown'} may not answer ${t.number}: ${may.reason}`, { reason: may.reason, act: 'answer' });
  if (!OPEN.includes(t.status) || (input.expectedStatus && input.expectedStatus !== t.status)) {
    throw new AppError('invalid_transition', `suggestion ${t.number} is ${t.status}`, { from: t.status, action: 'answer', stale: true });
  }
  const text = input.text.trim();
  if (!text) throw new AppError('validation_failed', 'text: must not be empty', { field: 'text' });
  if (text.length > REPLY_MAX_CHARS)
    throw new AppError('reply_too_long', `text: ${text.length} characters, at most ${REPLY_MAX_CHARS}`, { length: text.length, max: REPLY_MAX_CHARS });

  const now = core.clock.now();
  const staff = input.staff!;
  const who = eventActor(`staff:${staff.id}`, input.via);
  const after: Ticket = { ...t, status: 'resolved', resolvedAt: now, assigneeId: t.assigneeId ?? staff.id };
  const queue = core.org.config.centre.channels.suggestions;
  const dispatch = t.branchId ? core.org.branches.get(t.branchId)?.channels.dispatch : undefined;
  const chat = loaded.residentChatId;
  const answer: PlannedStep = {
    status: 'resolved',
    patch: { resolvedAt: now, assigneeId: after.assigneeId },
    event: {
      type: 'resolved',
      actor: who.actor,
      fromStatus: t.status,
      toStatus: 'resolved',
      note: text,
      data: { result: text, answer: staff.branchId === null ? 'hq' : 'branch', ...who.data },
    },
    cancelAlertKinds: deadlineAlertKinds(['ack', 'arrive', 'resolve']),
    cancelAlertKeys: [],
    alerts: [],
    form: null,
    openCallback: null,
    deadlines: { meet: ['ack', 'arrive', 'resolve'], supersede: [], open: [], generation: 'current', redue: [] },
    owed: ({ eventId }) => {
      const payload = { ticketId: t.id, eventId, event: 'resolved' };
      const messages: OutboxItem[] = [];
      if (dispatch) messages.push({ key: `card:${t.id}:${eventId}`, platform: 'slack', target: dispatch, kind: 'ticket_card', payload });
      else if (queue) messages.push({ key: `sugg:${t.id}:${eventId}`, platform: 'slack', target: queue, kind: 'suggestion_card', payload });
      if (chat) messages.push({ key: answerKey(t.id), platform: 'telegram', target: chat, kind: 'suggestion_answer', payload });
      // a suggestion a city platform filed through Open311: it hears that it closed
      messages.push(...closedWebhookItems(core.org, after, { id: eventId, from: t.status }));
      return { messages, alerts: [] };
    },
  };
  // a suggestion takes no callback (time-limit table): this is its close, with the card's messages above
  const finish = planCallbackStep(core.org, after, chat, now);
  const applied = await core.stores.tickets.applyStep({ ticketId: t.id, version: t.version, steps: [answer, finish], at: now });
  return { ticket: applied.ticket, eventId: applied.eventIds[0] };
}
