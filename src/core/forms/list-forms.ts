/**
 * R8l: service forms by whether their HQ copy is back, a page at a time (the overdue list is
 * complete: every overdue form is on some page, and the total counts them all).
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { FormOfTicket, FormStatusFilter } from '../ports/form-store.js';
import { formsDueBefore } from './form-due.js';

export const FORM_STATUSES: readonly FormStatusFilter[] = ['overdue', 'returned', 'all'];
export const MAX_FORMS_PAGE_SIZE = 200;

export interface ListFormsInput {
  status: FormStatusFilter;
  branchId?: string;
  /** from 1 */
  page: number;
  pageSize: number;
}

export interface FormsPage {
  status: FormStatusFilter;
  branchId?: string;
  page: number;
  pageSize: number;
  total: number;
  /** the last page there is (1 when there are none) */
  pages: number;
  /** overdue: a service date before this */
  dueBefore: Date;
  items: FormOfTicket[];
}

export async function listForms(core: Core, input: ListFormsInput): Promise<FormsPage> {
  if (!FORM_STATUSES.includes(input.status)) throw new AppError('validation_failed', `status: one of ${FORM_STATUSES.join(', ')}`, { field: 'status' });
  if (input.branchId !== undefined && !core.org.branches.has(input.branchId))
    throw new AppError('unknown_branch', `no branch ${input.branchId}`, { branch: input.branchId, field: 'branch' });
  if (!Number.isSafeInteger(input.page) || input.page < 1) throw new AppError('validation_failed', 'page: a whole number from 1', { field: 'page' });
  if (!Number.isInteger(input.pageSize) || input.pageSize < 1 || input.pageSize > MAX_FORMS_PAGE_SIZE)
    throw new AppError('validation_failed', `pageSize: 1 to ${MAX_FORMS_PAGE_SIZE}`, { field: 'pageSize' });
  const dueBefore = formsDueBefore(core.clock.now());
  const { total, items } = await core.stores.forms.list(
    { status: input.status, branchId: input.branchId, dueBefore },
    { skip: (input.page - 1) * input.pageSize, take: input.pageSize },
  );
  return { ...input, total, pages: Math.max(1, Math.ceil(total / input.pageSize)), dueBefore, items };
}
