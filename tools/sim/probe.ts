/**
 * What the simulator reads from the service's database while it runs (read only): where each
 * ticket is, how far the planned work has come, and what the outbox still owes. It stands for
 * the dashboard a person would glance at; the people themselves act only on what the fakes show.
 */
import type { Db } from '../../src/db/client.js';

export interface TicketState {
  status: string;
  residentId: number | null;
  branchId: string | null;
}

export class Probe {
  tickets = new Map<string, TicketState>();
  /** event counts by type (accepted, arrived, resolved, reopened, closed, ...) */
  events = new Map<string, number>();
  boundResidents = 0;
  outbox = { pending: 0, sent: 0, dead: 0 };
  /** when refresh() last succeeded */
  at = 0;

  constructor(readonly db: Db) {}

  async refresh(): Promise<void> {
    const [tickets, events, bound, outbox] = await Promise.all([
      this.db.ticket.findMany({ select: { number: true, status: true, residentId: true, branchId: true } }),
      this.db.ticketEvent.groupBy({ by: ['type'], _count: { _all: true } }),
      this.db.resident.count({ where: { customerId: { not: null } } }),
      this.db.outboxMessage.groupBy({ by: ['state'], _count: { _all: true } }),
    ]);
    this.tickets = new Map(tickets.map((t) => [t.number, { status: t.status, residentId: t.residentId, branchId: t.branchId }]));
    this.events = new Map(events.map((e) => [e.type, e._count._all]));
    this.boundResidents = bound;
    const by = new Map(outbox.map((o) => [o.state, o._count._all]));
    this.outbox = { pending: by.get('pending') ?? 0, sent: by.get('sent') ?? 0, dead: by.get('dead') ?? 0 };
    this.at = Date.now();
  }

  /**
   * Waits (polling every 10 ms, at most `maxMs`) for a moment when the outbox worker holds no
   * message: none claimed for delivery. A kill then never lands between a platform accepting a
   * message and the service writing that it was sent, the one window where at-least-once delivery
   * sends a message twice (the Bot API has no idempotency key to prevent it). True if it found one.
   */
  async waitOutboxIdle(maxMs: number): Promise<boolean> {
    const end = Date.now() + maxMs;
    while (Date.now() < end) {
      const leased = await this.db.outboxMessage.count({ where: { leaseOwner: { not: null }, leaseUntil: { gt: new Date() } } }).catch(() => 1);
      if (leased === 0) return true;
      await new Promise((r) => setTimeout(r, 10));
    }
    return false;
  }

  status(number: string): string | undefined {
    return this.tickets.get(number)?.status;
  }

  get openTickets(): number {
    let n = 0;
    for (const t of this.tickets.values()) if (t.status !== 'closed' && t.status !== 'cancelled' && t.status !== 'duplicate') n++;
    return n;
  }
}
