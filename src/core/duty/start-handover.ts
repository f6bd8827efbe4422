/**
 * R4: the outgoing person writes and signs the handover. The signature is who and when, stored
 * with the summary and the open urgent tickets at that moment; the incoming person countersigns
 * later (accept-handover.ts).
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import { handoverSummary } from './handover-summary.js';
import type { Handover } from '../model.js';

export interface StartHandoverInput {
  staffId: string;
  summary: string;
}

export async function startHandover(core: Core, input: StartHandoverInput): Promise<Handover> {
  const summary = input.summary?.trim() ?? '';
  if (!summary) throw new AppError('validation_failed', 'summary: the handover needs a written summary', { field: 'summary' });
  if (summary.length > 3000) throw new AppError('validation_failed', 'summary: longer than 3000 characters', { field: 'summary' });
  const s = await handoverSummary(core, input.staffId);
  return core.stores.duty.startHandover({
    branchId: s.branchId,
    outgoingStaffId: input.staffId,
    outgoingSignedAt: core.clock.now(),
    summary,
    openUrgent: JSON.stringify(s.openUrgent.map((t) => t.number)),
  });
}
