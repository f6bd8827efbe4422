/**
 * What the system owes people after a change, written in the same transaction as the change
 * (the outbox). Rows name a domain message, not display text: the platform adapters render them
 * from the ticket's state when they deliver. Keys make a replayed change harmless.
 */
import type { OutboxMessage, Platform } from '../model.js';
import { priorityOf } from './priority.js';

export type OutboxKind =
  | 'ticket_card' // post or update the ticket's card in the branch dispatch channel, and a thread line for the event
  | 'urgent_alert' // R8j: a leak or other severe case, to the branch's urgent channel
  | 'major_alert' // R8k: to the leaders' channel
  | 'triage' // an address that matched no area: the centre routes by hand
  | 'ticket_filed' // R3: the number of a resident's report, when the bot's own reply to it was refused
  | 'resident_update' // the resident hears of a step (accepted, on site, resolved, transferred)
  | 'callback_question' // R8h by bot: satisfied / fairly / not satisfied
  | 'warm_check' // a while after a heating repair: are the radiators warm now? (then the rating)
  | 'resident_late' // the resident's ticket missed a deadline: the branch was urged
  | 'staff_reply' // a staff member's words to the resident, from the card's thread or its reply modal
  | 'bind_request' // a resident already bound to a heating account is asked to allow another one
  | 'bind_notice' // ... or told that another one was let in (by the account's phone, or by another resident's yes)
  | 'bind_granted' // the one who asked is let in: now the account and its address
  | 'bind_refused' // ... or not
  | 'callback_task' // R8h by phone: a task for the centre
  | 'staff_alert' // deadlines, urging, escalation (R2 督促, R7, R27)
  | 'staff_alert_digest' // the same for many tickets at once (a cold snap): one message per channel and up to 20 tickets
  | 'report' // scheduled summaries (R8i, R18, R19) and the half-month list of forms not back (R8l)
  | 'incident_card' // post or update an incident's card in each affected branch's urgent channel (one per incident, not one per household)
  | 'incident_proposal' // many no-heat or leak reports from one community or station: declare an incident? (centre triage and branch urgent channel)
  | 'incident_leaders' // R8k: a major incident declared, updated or restored, to the leaders' channel
  | 'incident_notice' // to every bound resident of an affected community: declared, new expected time, heat back (with 暖气恢复了吗？)
  | 'suggestion_card' // R18/R19: a suggestion held by the centre, its card in the HQ suggestions channel with the answer button
  | 'suggestion_answer' // R19: HQ's (or the taking branch's, R17) answer to the resident who made the suggestion
  | 'quote_offer' // R16: a quote for secondary-network or in-building pipe work, with the buttons accept and refuse
  | 'quote_expired' // R16: the quote's validity ended unanswered: its message loses its buttons, and the resident is told to ask again
  | 'incident_reply' // a resident's report linked to an open incident: what is known, when the bot's own answer was refused
  | 'city_request_closed'; // Open311: the API client that filed a request is told it closed, by a signed POST to its webhook

export interface OutboxItem {
  key: string;
  platform: Platform;
  target: string;
  kind: OutboxKind;
  payload: Record<string, unknown>;
  /** see priority.ts; by default the kind's */
  priority?: number;
}

/** A message as it is first stored: the one row shape every writer of the outbox uses. */
export type OutboxRow = Pick<OutboxMessage, 'key' | 'platform' | 'target' | 'kind' | 'payload' | 'state' | 'attempts' | 'nextAt' | 'createdAt' | 'priority'>;

/** An item as its OutboxMessage row, due at once. */
export function outboxRow(item: OutboxItem, now: Date): OutboxRow {
  return {
    key: item.key,
    platform: item.platform,
    target: item.target,
    kind: item.kind,
    payload: JSON.stringify(item.payload),
    state: 'pending',
    attempts: 0,
    nextAt: now,
    createdAt: now,
    priority: item.priority ?? priorityOf(item.kind),
  };
}
