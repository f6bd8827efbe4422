/**
 * R8l: one service form's HQ copy is back, marked by the ticket's number with who and when. A
 * form marked already is refused with who marked it and when, so a second click or a second
 * person never rewrites the first record.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import { formatMinute } from '../local-time.js';
import type { FormOfTicket } from '../ports/form-store.js';
import { assertMayMarkForms } from './may-mark-forms.js';

export interface MarkFormInput {
  /** the ticket's number */
  number: string;
  /** staff:<id> | api:<client> */
  actor: string;
}

export function alreadyReturned(f: FormOfTicket): AppError {
  const at = f.form.hqReturnedAt!;
  return new AppError('form_already_returned', `the form of ${f.ticketNumber} was marked returned at ${formatMinute(at)} by ${f.form.hqReturnedBy}`, {
    number: f.ticketNumber,
    at,
    by: f.form.hqReturnedBy,
  });
}

export async function markFormReturned(core: Core, input: MarkFormInput): Promise<FormOfTicket> {
  assertMayMarkForms(core.org, input.actor);
  const number = input.number.trim().toUpperCase();
  const found = await core.stores.forms.byTicketNumber(number);
  if (!found) throw new AppError('form_not_found', `ticket ${number} has no service form`, { number });
  if (found.form.hqReturnedAt) throw alreadyReturned(found);
  const form = await core.stores.forms.markReturned(found.form.id, { at: core.clock.now(), by: input.actor });
  if (!form) {
    // someone marked it between the read and the write
    const now = await core.stores.forms.byTicketNumber(number);
    throw alreadyReturned(now ?? found);
  }
  return { ...found, form };
}
