/** Which messages a ticket event owes, and to whom (channels from the org config, R8a, R8j, R8k). */
import type { Org } from '../org/org.js';
import type { OutboxItem } from '../outbox/enqueue.js';
import { incidentStandsFor, type LinkedLike } from '../incidents/stands-for.js';
import { supervisionChannelFor } from '../conduct/conduct-route.js';
import { closedWebhookItems } from '../open311/closed-webhook.js';
import type { Status } from './status-machine.js';

interface TicketLike extends LinkedLike {
  id: number;
  branchId: string | null;
  severity: string;
  residentChatId?: string | null;
  kind?: string;
  category?: string;
  /** with number, status (after the event) and the event's `from`: whether a city platform is told its request closed */
  number?: string;
  status?: Status;
  firstResponder?: string;
}

/** Event types a resident is told about (issue 4: accept, arrive, resolve, transfer). */
const RESIDENT_EVENTS = new Set(['created', 'accepted', 'arrived', 'resolved', 'transferred', 'reopened', 'closed', 'cancelled', 'duplicate']);

/** `event.from`: the status before the event, when it changed it (a step of the status machine). */
export function planMessages(org: Org, t: TicketLike, event: { id: number; type: string; from?: Status }): OutboxItem[] {
  const items: OutboxItem[] = [];
  const payload = { ticketId: t.id, eventId: event.id, event: event.type };
  const branch = t.branchId ? org.branches.get(t.branchId) : undefined;
  // R31-R33: a conduct complaint's card lives in the centre's supervision channel, never a branch's
  const supervision = supervisionChannelFor(org, t);
  // a report linked as it was filed has no card of its own (incidents/stands-for.ts): its steps (the
  // resolve at restoration, the close after the rating) go to the incident's card
  if (incidentStandsFor(t)) {
    // no card line; the resident's own updates below still go
  } else if (!t.branchId && t.kind === 'suggestion' && org.config.centre.channels.suggestions) {
    // R18/R19: the centre's suggestions queue, one card kept up to date with every step
    items.push({ key: `sugg:${t.id}:${event.id}`, platform: 'slack', target: org.config.centre.channels.suggestions, kind: 'suggestion_card', payload });
  } else if (supervision) {
    items.push({ key: `card:${t.id}:${event.id}`, platform: 'slack', target: supervision, kind: 'ticket_card', payload });
  } else if (branch?.channels.dispatch) {
    items.push({ key: `card:${t.id}:${event.id}`, platform: 'slack', target: branch.channels.dispatch, kind: 'ticket_card', payload });
  } else if (!t.branchId && org.config.centre.channels.triage && (event.type === 'created' || event.type === 'reopened')) {
    items.push({ key: `triage:${t.id}:${event.id}`, platform: 'slack', target: org.config.centre.channels.triage, kind: 'triage', payload });
  }
  const firstAlert = event.type === 'created' || event.type === 'transferred' || event.type === 'dispatched' || event.type === 'escalated';
  if (firstAlert && branch && t.severity !== 'normal' && branch.channels.urgent) {
    items.push({ key: `urgent:${t.id}:${branch.id}`, platform: 'slack', target: branch.channels.urgent, kind: 'urgent_alert', payload });
  }
  if (firstAlert && t.severity === 'major' && org.config.centre.channels.leaders) {
    items.push({ key: `major:${t.id}`, platform: 'slack', target: org.config.centre.channels.leaders, kind: 'major_alert', payload });
  }
  if (t.residentChatId && RESIDENT_EVENTS.has(event.type) && event.type !== 'created') {
    items.push({ key: `tg:${t.id}:${event.id}`, platform: 'telegram', target: t.residentChatId, kind: 'resident_update', payload });
  }
  // Open311: the API client that filed it hears that it closed (open311/closed-webhook.ts)
  items.push(...closedWebhookItems(org, t, event));
  return items;
}
