/**
 * Which owed message goes first when a platform's limit makes them queue. In a cold snap the
 * outbox holds thousands of rows; an urgent leak alert must not wait behind card refreshes, and
 * a resident who just wrote must not wait behind ten thousand outage notices.
 */
import type { OutboxKind } from './enqueue.js';

/** Lower goes first. */
export const PRIORITY = { alert: 0, resident: 1, staff: 2, bulk: 3 } as const;

const OF_KIND: Record<OutboxKind, number> = {
  urgent_alert: PRIORITY.alert,
  major_alert: PRIORITY.alert,
  incident_leaders: PRIORITY.alert,
  ticket_filed: PRIORITY.resident,
  resident_update: PRIORITY.resident,
  staff_reply: PRIORITY.resident,
  callback_question: PRIORITY.resident,
  warm_check: PRIORITY.resident,
  resident_late: PRIORITY.resident,
  bind_request: PRIORITY.resident,
  bind_notice: PRIORITY.resident,
  bind_granted: PRIORITY.resident,
  bind_refused: PRIORITY.resident,
  incident_reply: PRIORITY.resident,
  suggestion_answer: PRIORITY.resident,
  quote_offer: PRIORITY.resident,
  quote_expired: PRIORITY.resident,
  // the city platform scores the company on it, as the resident's own update
  city_request_closed: PRIORITY.resident,
  ticket_card: PRIORITY.staff,
  triage: PRIORITY.staff,
  callback_task: PRIORITY.staff,
  staff_alert: PRIORITY.staff,
  incident_card: PRIORITY.staff,
  incident_proposal: PRIORITY.staff,
  suggestion_card: PRIORITY.staff,
  staff_alert_digest: PRIORITY.bulk,
  report: PRIORITY.bulk,
  incident_notice: PRIORITY.bulk,
};

/** The priority of a message of this kind; `urgent` raises a staff message (an alert about a leak) to the alerts'. */
export function priorityOf(kind: OutboxKind, o: { urgent?: boolean } = {}): number {
  return o.urgent ? PRIORITY.alert : OF_KIND[kind];
}
