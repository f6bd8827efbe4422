/**
 * What an incident owes, decided in pure code (like tickets/notify-plan.ts): its card in each
 * affected branch's urgent channel, the leaders' message for a major one (R8k), and one notice
 * per resident of its communities. Cards coalesce: one row per incident, channel and 10-second
 * bucket, due at the bucket's end and rendered from the incident's state when delivered, so
 * 2,000 reports linked within minutes make a handful of card updates, not 2,000.
 */
import type { Incident } from '../model.js';
import type { Org } from '../org/org.js';
import { outboxRow, type OutboxRow } from '../outbox/enqueue.js';
import type { ResidentToNotify } from '../ports/incident-store.js';

/**
 * The outbox key of the answer to a report linked to an incident ("该小区换热站正在抢修…"), owed in
 * reserve like a filed report's confirmation: the bot answers at once and marks it delivered.
 */
export function incidentReplyKey(ticketId: number): string {
  return `increply:${ticketId}`;
}

/** The span card refreshes of one incident and channel are gathered in. */
export const CARD_BUCKET_MS = 10_000;

export type IncidentPhase = 'declared' | 'updated' | 'restored';

/** The channel an incident's card lives in for a branch: its urgent channel, else its dispatch channel. */
export function cardChannel(org: Org, branchId: string): string | null {
  const ch = org.branches.get(branchId)?.channels;
  return ch?.urgent ?? ch?.dispatch ?? null;
}

/** The card refresh of each branch, coalesced into the current 10-second bucket. */
export function cardRows(org: Org, incident: Pick<Incident, 'id' | 'branchIds'>, now: Date): OutboxRow[] {
  const bucket = Math.floor(now.getTime() / CARD_BUCKET_MS);
  const due = new Date((bucket + 1) * CARD_BUCKET_MS);
  const rows: OutboxRow[] = [];
  for (const branchId of incident.branchIds) {
    const channel = cardChannel(org, branchId);
    if (!channel) continue;
    const item = {
      key: `inc:${incident.id}:card:${channel}:${bucket}`,
      platform: 'slack',
      target: channel,
      kind: 'incident_card',
      payload: { incidentId: incident.id, branchId },
    } as const;
    rows.push({ ...outboxRow(item, now), nextAt: due });
  }
  return rows;
}

/** R8k: the leaders' channel is told of a major incident's declaration, changes and restoration. */
export function leadersRows(org: Org, incident: Pick<Incident, 'id' | 'severity' | 'version'>, event: IncidentPhase, now: Date): OutboxRow[] {
  const channel = org.config.centre.channels.leaders;
  if (incident.severity !== 'major' || !channel) return [];
  const item = {
    key: `inc:${incident.id}:leaders:${event}:${incident.version}`,
    platform: 'slack',
    target: channel,
    kind: 'incident_leaders',
    payload: { incidentId: incident.id, event },
  } as const;
  return [outboxRow(item, now)];
}

/** One notice per resident: what happened and what is known (declared, a new expected time, heat back). */
export function noticeRows(
  incident: Pick<Incident, 'id'>,
  phase: IncidentPhase,
  version: number,
  residents: readonly ResidentToNotify[],
  now: Date,
): OutboxRow[] {
  return residents.map((r) =>
    outboxRow(
      {
        key: `inc:${incident.id}:notice:${phase}:${version}:${r.residentId}`,
        platform: 'telegram',
        target: r.chatId,
        kind: 'incident_notice',
        payload: { incidentId: incident.id, phase, residentId: r.residentId, ...(r.ticketId ? { ticketId: r.ticketId } : {}), locale: r.locale },
      },
      now,
    ),
  );
}
