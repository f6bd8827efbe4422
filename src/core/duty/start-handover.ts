/**
 * R4: the outgoing person writes and signs the handover. The signature is who and when, stored
 * with the summary and the open urgent tickets at that moment; the incoming person countersigns
 * later (accept-handover.ts). Until someone does, the duty does not move: the outgoing person
 * holds it (their unit's, or the place's), stored with the handover, for at most the shift it is
 * handed to (duty-at.ts handoverUntil), so a handover nobody signs does not page them for ever.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import { handoverSummary } from './handover-summary.js';
import type { Handover } from '../model.js';
import { handoverUntil } from './duty-at.js';

export interface StartHandoverInput {
  staffId: string;
  summary: string;
}

export async function startHandover(core: Core, input: StartHandoverInput): Promise<Handover> {
  const summary = input.summary?.trim() ?? '';
  if (!summary) throw new AppError('validation_failed', 'summary: the handover needs a written summary', { field: 'summary' });
  if (summary.length > 3000) throw new AppError('validation_failed', 'summary: longer than 3000 characters', { field: 'summary' });
  const s = await handoverSummary(core, input.staffId);
  const now = core.clock.now();
  const place = { branchId: s.branchId, unitId: core.org.staff.get(input.staffId)?.unitId ?? null };
  const hold = { ...place, staffId: input.staffId, from: now, until: handoverUntil(core.org, place, input.staffId, now), source: 'handover' as const };
  return core.stores.duty.startHandover(
    {
      branchId: s.branchId,
      outgoingStaffId: input.staffId,
      outgoingSignedAt: now,
      summary,
      openUrgent: JSON.stringify(s.openUrgent.map((t) => t.number)),
    },
    hold,
  );
}
