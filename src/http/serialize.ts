/** JSON shapes of tickets for the API: ISO instants plus minute-precision local times (R8g). */
import { formatMinute } from '../core/local-time.js';
import type { Org } from '../core/org/org.js';
import type { TicketWithTimeline } from '../core/tickets/get-ticket.js';
import type { Ticket } from '../core/model.js';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function ticketSummary(org: Org, t: Ticket) {
  return {
    number: t.number,
    kind: t.kind,
    category: t.category,
    scope: t.scope,
    severity: t.severity,
    source: t.source,
    status: t.status,
    description: t.description,
    topic: t.topic,
    verified: t.verified,
    communityId: t.communityId,
    communityName: t.communityId ? (org.communities.get(t.communityId)?.name ?? null) : null,
    address: t.address,
    building: t.building,
    unit: t.unit,
    room: t.room,
    contactName: t.contactName,
    contactPhone: t.contactPhone,
    firstResponder: t.firstResponder,
    branchId: t.branchId,
    branchName: t.branchId ? (org.branches.get(t.branchId)?.name ?? null) : null,
    unitId: t.unitId,
    assigneeId: t.assigneeId,
    transferCount: t.transferCount,
    reopenCount: t.reopenCount,
    satisfaction: t.satisfaction,
    deadlines: { ack: iso(t.ackDueAt), arrive: iso(t.arriveDueAt), resolve: iso(t.resolveDueAt) },
    createdAt: iso(t.createdAt),
    acceptedAt: iso(t.acceptedAt),
    arrivedAt: iso(t.arrivedAt),
    resolvedAt: iso(t.resolvedAt),
    closedAt: iso(t.closedAt),
  };
}

export function ticketDetail(org: Org, t: TicketWithTimeline) {
  return {
    ...ticketSummary(org, t),
    timeline: t.events.map((e) => ({
      at: e.at.toISOString(),
      atLocal: formatMinute(e.at),
      type: e.type,
      actor: e.actor,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      note: e.note,
      data: e.data ? JSON.parse(e.data) : null,
    })),
    form: t.form && {
      workDone: t.form.workDone,
      materials: t.form.materials,
      feesCents: t.form.feesCents,
      effect: t.form.effect,
      signed: t.form.signed,
      customerConfirmed: t.form.customerConfirmed,
      customerOpinion: t.form.customerOpinion,
      serviceDate: iso(t.form.serviceDate),
      hqReturnedAt: iso(t.form.hqReturnedAt),
    },
    callbacks: t.callbacks.map((c) => ({
      id: c.id,
      channel: c.channel,
      status: c.status,
      result: c.result,
      comment: c.comment,
      attempts: c.attempts,
      lastAttemptAt: iso(c.lastAttemptAt),
      createdAt: iso(c.createdAt),
      answeredAt: iso(c.answeredAt),
    })),
  };
}
