/**
 * R4: the incoming person signs after checking. Someone of the same place (branch or centre),
 * not the outgoing person, signs once; a second signature is refused (already_answered), so a
 * double click or a colleague's late click does not overwrite who took over. The signature moves
 * the duty: in the same transaction the incoming person holds the outgoing person's duty (their
 * unit, or the place) from now until the end of the shift it was handed over in (duty-at.ts
 * handoverUntil), and paging follows them. A signature after an objection is allowed: the
 * objection stays on record, and the duty moves only now.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { Handover } from '../model.js';
import { handoverUntil } from './duty-at.js';

export interface AcceptHandoverInput {
  handoverId: number;
  staffId: string;
}

export async function acceptHandover(core: Core, input: AcceptHandoverInput): Promise<Handover> {
  const staff = core.org.staff.get(input.staffId);
  if (!staff) throw new AppError('unknown_staff', `no staff ${input.staffId}`, { staff: input.staffId });
  const h = await core.stores.duty.handoverById(input.handoverId);
  if (!h) throw new AppError('not_found', `no handover ${input.handoverId}`, { handoverId: input.handoverId });
  if (h.incomingStaffId) {
    throw new AppError('already_answered', `handover ${h.id} was already accepted`, { by: h.incomingStaffId, at: h.incomingSignedAt });
  }
  if (h.outgoingStaffId === staff.id) throw new AppError('forbidden', 'the outgoing person cannot accept their own handover', { reason: 'same_person' });
  if (h.branchId !== staff.branchId)
    throw new AppError('forbidden', `${staff.id} does not work where handover ${h.id} was written`, { reason: 'other_branch' });
  const now = core.clock.now();
  const place = { branchId: h.branchId, unitId: core.org.staff.get(h.outgoingStaffId)?.unitId ?? null };
  const moves = {
    ...place,
    staffId: staff.id,
    from: now,
    until: handoverUntil(core.org, place, h.outgoingStaffId, now),
    source: 'handover' as const,
    handoverId: h.id,
  };
  const signed = await core.stores.duty.acceptHandover(h.id, { staffId: staff.id, at: now }, moves);
  if (!signed) {
    // a colleague's click got there first
    const now = await core.stores.duty.handoverById(h.id);
    throw new AppError('already_answered', `handover ${h.id} was already accepted`, { by: now?.incomingStaffId, at: now?.incomingSignedAt });
  }
  return signed;
}
