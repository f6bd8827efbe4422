/** Ticket lists with filters and paging; `overdue` means a deadline has passed with the step not done. */
import type { Core } from '../context.js';
import type { Category, TicketKind } from '../domain.js';
import type { Ticket } from '../model.js';
import type { Status } from './status-machine.js';

export interface TicketFilter {
  status?: Status[];
  branchId?: string;
  kind?: TicketKind;
  category?: Category;
  residentId?: number;
  overdue?: boolean;
  from?: Date;
  to?: Date;
  page?: number;
  pageSize?: number;
}

export interface TicketPage {
  total: number;
  page: number;
  pageSize: number;
  items: Ticket[];
}

export async function listTickets(core: Core, f: TicketFilter): Promise<TicketPage> {
  const pageSize = Math.min(Math.max(f.pageSize ?? 50, 1), 500);
  const page = Math.max(f.page ?? 1, 1);
  const { total, items } = await core.stores.views.ticketList(
    {
      status: f.status,
      branchId: f.branchId,
      kind: f.kind,
      category: f.category,
      residentId: f.residentId,
      from: f.from,
      to: f.to,
      overdueAt: f.overdue ? core.clock.now() : undefined,
    },
    { offset: (page - 1) * pageSize, limit: pageSize },
  );
  return { total, page, pageSize, items };
}
