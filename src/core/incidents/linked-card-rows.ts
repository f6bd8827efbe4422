/**
 * The reports a declaration takes over had their dispatch cards already: each card hears of the
 * link (its state and a thread line: 已并入停热事件), so staff do not see 已派单 on a report the
 * incident now answers for. Reports linked as they are filed never had one (stands-for.ts).
 */
import type { Incident } from '../model.js';
import type { Org } from '../org/org.js';
import { outboxRow, type OutboxRow } from '../outbox/enqueue.js';
import type { LinkedTicket } from '../ports/incident-store.js';

export function linkedCardRows(org: Org, incident: Incident, linked: readonly LinkedTicket[], now: Date): OutboxRow[] {
  return linked.flatMap((t) => {
    const channel = t.branchId ? org.branches.get(t.branchId)?.channels.dispatch : undefined;
    if (!channel) return [];
    // the event's id is not known before the bulk insert: the card shows the ticket's latest 'linked'
    const item = {
      key: `card:${t.id}:linked:${incident.id}`,
      platform: 'slack',
      target: channel,
      kind: 'ticket_card',
      payload: { ticketId: t.id, event: 'linked' },
    } as const;
    return [outboxRow(item, now)];
  });
}
