/** Ticket lists with filters and paging; `overdue` means a deadline has passed with the step not done. */
import type { Core } from '../context.js';
import { OPEN_STATUSES } from './status-machine.js';

export interface TicketFilter {
  status?: string[];
  branchId?: string;
  kind?: string;
  category?: string;
  residentId?: number;
  overdue?: boolean;
  from?: Date;
  to?: Date;
  page?: number;
  pageSize?: number;
}

export function overdueWhere(now: Date) {
  return {
    status: { in: [...OPEN_STATUSES] },
    OR: [
      { acceptedAt: null, ackDueAt: { lt: now }, status: { in: ['received', 'dispatched'] } },
      { arrivedAt: null, resolvedAt: null, arriveDueAt: { lt: now }, status: { in: ['received', 'dispatched', 'accepted'] } },
      { resolvedAt: null, resolveDueAt: { lt: now }, status: { in: ['received', 'dispatched', 'accepted', 'on_site'] } },
    ],
  };
}

export async function listTickets(core: Core, f: TicketFilter) {
  const pageSize = Math.min(Math.max(f.pageSize ?? 50, 1), 500);
  const page = Math.max(f.page ?? 1, 1);
  const where = {
    AND: [
      f.status?.length ? { status: { in: f.status } } : {},
      f.branchId ? { branchId: f.branchId } : {},
      f.kind ? { kind: f.kind } : {},
      f.category ? { category: f.category } : {},
      f.residentId ? { residentId: f.residentId } : {},
      f.from || f.to ? { createdAt: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lt: f.to } : {}) } } : {},
      f.overdue ? overdueWhere(core.clock.now()) : {},
    ],
  };
  const [total, items] = await Promise.all([
    core.db.ticket.count({ where }),
    core.db.ticket.findMany({ where, orderBy: { id: 'desc' }, skip: (page - 1) * pageSize, take: pageSize }),
  ]);
  return { total, page, pageSize, items };
}
