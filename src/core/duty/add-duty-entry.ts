/**
 * R4: staff on duty log serious and urgent events in the duty log (工作日志). An entry belongs to
 * the writer's branch (or the centre) and may name a ticket; the handover summarises the log.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { DutyLogEntry } from '../model.js';

export interface DutyEntryInput {
  staffId: string;
  text: string;
  /** the ticket the entry is about; found in the text when not given */
  ticketNumber?: string;
}

export const TICKET_NUMBER_PATTERN = /\b[TSQP]\d{8}-\d{4,}\b/;

export async function addDutyEntry(core: Core, input: DutyEntryInput): Promise<DutyLogEntry> {
  const staff = core.org.staff.get(input.staffId);
  if (!staff) throw new AppError('unknown_staff', `no staff ${input.staffId}`, { staff: input.staffId });
  const text = input.text?.trim() ?? '';
  if (!text) throw new AppError('validation_failed', 'text: must not be empty', { field: 'text' });
  if (text.length > 2000) throw new AppError('validation_failed', 'text: longer than 2000 characters', { field: 'text' });
  const ticketNumber = input.ticketNumber ?? text.match(TICKET_NUMBER_PATTERN)?.[0] ?? null;
  return core.stores.duty.addEntry({ staffId: staff.id, branchId: staff.branchId, text, ticketNumber, at: core.clock.now() });
}
