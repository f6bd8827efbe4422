/**
 * A city platform that filed a request through Open311 is told when it closes, by a signed POST
 * to its API client's webhook (delivery/webhook-deliverer.ts). The telling is owed like any other
 * message: an outbox row written in the same transaction as the step that closed the request, so
 * a step that is stored is always told and a step that failed never is.
 *
 * Owed on the step that takes a request from Open311-open to Open311-closed, once per such step:
 * a request reopened and resolved again is told again (its key names the closing event), and the
 * steps between closed statuses (resolved → callback → closed, a duplicate following its
 * original) owe nothing more.
 */
import type { Org } from '../org/org.js';
import type { OutboxItem } from '../outbox/enqueue.js';
import { clientIdOf } from '../tickets/event-actor.js';
import type { Status } from '../tickets/status-machine.js';
import { open311StatusOf } from './open311-status.js';

/** The outbox kind of the webhook call. */
export const CITY_REQUEST_CLOSED = 'city_request_closed' as const;

/** The outbox key of one closing: the receiver deduplicates by it (X-Open311-Delivery). */
export const closedWebhookKey = (ticketId: number, eventId: number) => `open311-closed:${ticketId}:${eventId}`;

const isClosed = (s: Status) => open311StatusOf(s) === 'closed';

/** What the webhook row carries: the deliverer reads the request's current view by number. */
export interface ClosedWebhookPayload {
  number: string;
  eventId: number;
  ticketId: number;
}

/**
 * The webhook call a step owes, if any: the ticket (as after the step) was filed by an API client
 * with a webhook, and the step took it from open to closed (`from` the status before the step).
 */
export function closedWebhookItems(
  org: Org,
  t: { id: number; number?: string; status?: Status; firstResponder?: string },
  event: { id: number; from?: Status },
): OutboxItem[] {
  if (!t.firstResponder || !t.number || !t.status || !event.from) return [];
  if (isClosed(event.from) || !isClosed(t.status)) return [];
  const clientId = clientIdOf(t.firstResponder);
  if (!clientId || !org.apiClients.get(clientId)?.webhook) return [];
  const payload: ClosedWebhookPayload = { number: t.number, eventId: event.id, ticketId: t.id };
  return [{ key: closedWebhookKey(t.id, event.id), platform: 'webhook', target: clientId, kind: CITY_REQUEST_CLOSED, payload: { ...payload } }];
}
