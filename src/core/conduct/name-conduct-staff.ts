/**
 * R31: the centre names the staff member a conduct complaint is about (the resident may not
 * know the name: a complaint that names no one is filed all the same and named here). Naming
 * changes no status; it is an event on the ticket and a line on the supervision card.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { Ticket } from '../model.js';
import type { PlannedStep } from '../ports/ticket-store.js';
import { planMessages } from '../tickets/notify-plan.js';
import { OPEN_STATUSES } from '../tickets/status-machine.js';
import { knownStaff, loadConductComplaint } from './load-conduct-complaint.js';

/** The event type of a naming (the supervision card shows it). */
export const CONDUCT_NAMED = 'conduct_named';

export interface NameConductStaff {
  number: string;
  /** staff:<id> of the centre agent or leader */
  actor: string;
  staffId: string;
}

export async function nameConductStaff(core: Core, input: NameConductStaff): Promise<Ticket> {
  const loaded = await loadConductComplaint(core, input.number, input.actor);
  const t = loaded.ticket;
  const staffId = knownStaff(core, input.staffId);
  if (!OPEN_STATUSES.includes(t.status)) {
    throw new AppError('invalid_transition', `ticket ${t.number} is ${t.status}`, { from: t.status, action: CONDUCT_NAMED });
  }
  const after: Ticket = { ...t, conductStaffId: staffId };
  const step: PlannedStep = {
    status: t.status,
    patch: { conductStaffId: staffId },
    event: {
      type: CONDUCT_NAMED,
      actor: input.actor,
      fromStatus: t.status,
      toStatus: t.status,
      note: null,
      data: { staffId, ...(t.conductStaffId ? { previousStaffId: t.conductStaffId } : {}) },
    },
    cancelAlertKinds: [],
    cancelAlertKeys: [],
    alerts: [],
    form: null,
    openCallback: null,
    // the card's line only: the resident is never told whom the centre is looking into
    owed: ({ eventId }) => ({ messages: planMessages(core.org, { ...after, residentChatId: null }, { id: eventId, type: CONDUCT_NAMED }), alerts: [] }),
  };
  const applied = await core.stores.tickets.applyStep({ ticketId: t.id, version: t.version, steps: [step], at: core.clock.now() });
  return applied.ticket;
}
