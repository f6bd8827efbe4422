/**
 * R4 (无异议后签字): the incoming person signs only when they find nothing wrong. Instead of
 * signing they may object, saying what to (the urgent ticket not handed over, the log that does
 * not match): the objection is stored on the handover with a duty-log entry of theirs, the
 * outgoing person and the place's coordinators and leaders are to be told, and the duty stays
 * with the outgoing person until someone signs (start-handover.ts's hold is not replaced).
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { Handover } from '../model.js';

export interface ObjectToHandoverInput {
  handoverId: number;
  staffId: string;
  reason: string;
}

export const OBJECTION_MAX = 1000;

export interface Objection {
  handover: Handover;
  /** who is to be told (staff ids): the outgoing person, the coordinators and leaders of the place */
  tell: string[];
}

export async function objectToHandover(core: Core, input: ObjectToHandoverInput): Promise<Objection> {
  const staff = core.org.staff.get(input.staffId);
  if (!staff) throw new AppError('unknown_staff', `no staff ${input.staffId}`, { staff: input.staffId });
  const reason = input.reason?.trim() ?? '';
  if (!reason) throw new AppError('validation_failed', 'reason: say what the objection is', { field: 'reason' });
  if (reason.length > OBJECTION_MAX) throw new AppError('validation_failed', `reason: longer than ${OBJECTION_MAX} characters`, { field: 'reason' });
  const h = await core.stores.duty.handoverById(input.handoverId);
  if (!h) throw new AppError('not_found', `no handover ${input.handoverId}`, { handoverId: input.handoverId });
  const answered = (x: Handover) =>
    new AppError('already_answered', `handover ${x.id} was already ${x.incomingStaffId ? 'accepted' : 'objected to'}`, {
      by: x.incomingStaffId ?? x.objectedBy ?? undefined,
      at: x.incomingSignedAt ?? x.objectedAt,
    });
  if (h.incomingStaffId || h.objectedAt) throw answered(h);
  if (h.outgoingStaffId === staff.id) throw new AppError('forbidden', 'the outgoing person cannot object to their own handover', { reason: 'same_person' });
  if (h.branchId !== staff.branchId)
    throw new AppError('forbidden', `${staff.id} does not work where handover ${h.id} was written`, { reason: 'other_branch' });
  const objected = await core.stores.duty.objectToHandover(h.id, { staffId: staff.id, text: reason, at: core.clock.now() });
  if (!objected) throw answered((await core.stores.duty.handoverById(h.id)) ?? h);
  const roles = h.branchId ? (['branch_coordinator', 'leader'] as const) : (['leader'] as const);
  const tell = [h.outgoingStaffId, ...core.org.staffOf(h.branchId, ...roles).map((s) => s.id)].filter((id, i, all) => id !== staff.id && all.indexOf(id) === i);
  return { handover: objected, tell };
}
