/**
 * R8f: the resident confirms the work written on the service form (客户服务单) and may add
 * their opinion. A confirmation is given once; an opinion sent later is added to it.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import { getOwnTicket } from './get-own-ticket.js';
import type { ServiceForm } from '../model.js';

export interface FormConfirmation {
  residentId: number;
  number: string;
  opinion?: string;
}

export async function confirmServiceForm(core: Core, input: FormConfirmation): Promise<ServiceForm> {
  const ticket = await getOwnTicket(core, input.residentId, input.number);
  const form = ticket.form;
  if (!form) throw new AppError('not_found', `ticket ${ticket.number} has no service form`, { number: ticket.number });
  const opinion = input.opinion?.trim();
  if (opinion && opinion.length > 1000) throw new AppError('validation_failed', 'opinion: longer than 1000 characters', { field: 'opinion' });
  if (form.customerConfirmed && !opinion)
    throw new AppError('already_answered', `the form of ${ticket.number} is already confirmed`, { number: ticket.number });
  return core.stores.tickets.confirmForm(form.id, {
    confirmedAt: form.confirmedAt ?? core.clock.now(),
    customerOpinion: opinion ? (form.customerOpinion ? `${form.customerOpinion}\n${opinion}` : opinion) : form.customerOpinion,
  });
}
