/**
 * R31-R33: the centre records what its investigation found: confirmed (attitude, favours,
 * obstruction) or not confirmed, with the evidence. The finding is the centre's reply to the
 * complaint (R8g, recorded to the minute): the ticket is resolved with it (accepted first if
 * nobody had), and the callback follows as for any complaint (R8h), so the loop closes as usual.
 * The resident is told the complaint was handled, never the finding (the bot's wording for
 * conduct complaints); the finding and the named staff member stay with the centre and the leaders.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import { CONDUCT_FINDINGS, type ConductFinding, type ConductFindingKind, type Ticket } from '../model.js';
import { monthOf } from '../kpi/period.js';
import type { PlannedStep, TicketForStep } from '../ports/ticket-store.js';
import { planStep } from '../tickets/transition-ticket.js';
import { consequenceOf, isConfirmed } from './consequence.js';
import { knownStaff, loadConductComplaint } from './load-conduct-complaint.js';

export interface RecordConductFinding {
  number: string;
  /** staff:<id> of the centre agent or leader */
  actor: string;
  finding: string;
  evidence: string;
  /** the staff member concerned; the one named before when absent */
  staffId?: string;
}

const EVIDENCE_MAX = 2000;

export async function recordConductFinding(core: Core, input: RecordConductFinding): Promise<{ finding: ConductFinding; ticket: Ticket }> {
  const loaded = await loadConductComplaint(core, input.number, input.actor);
  const t = loaded.ticket;
  if (!(CONDUCT_FINDINGS as readonly string[]).includes(input.finding)) {
    throw new AppError('validation_failed', `finding: must be one of ${CONDUCT_FINDINGS.join(', ')}`, { field: 'finding' });
  }
  const finding = input.finding as ConductFindingKind;
  const evidence = input.evidence?.trim();
  if (!evidence) throw new AppError('validation_failed', 'evidence: the evidence notes are required', { field: 'evidence' });
  if (evidence.length > EVIDENCE_MAX) throw new AppError('validation_failed', `evidence: longer than ${EVIDENCE_MAX} characters`, { field: 'evidence' });
  const staffId = knownStaff(core, input.staffId ?? t.conductStaffId);
  if (await core.stores.conduct.ofTicket(t.id)) throw new AppError('finding_exists', `ticket ${t.number} has a conduct finding already`, { number: t.number });

  const now = core.clock.now();
  const consequence = consequenceOf(finding);
  const steps = planFinding(core, loaded, { actor: input.actor, evidence, finding, staffId, consequence }, now);
  const { finding: stored, applied } = await core.stores.conduct.record(
    {
      ticketId: t.id,
      staffId,
      branchId: core.org.staff.get(staffId)?.branchId ?? null,
      finding,
      consequence,
      month: monthOf(now).firstDay.slice(0, 7),
      evidence,
      foundBy: input.actor,
      foundAt: now,
    },
    { ticketId: t.id, version: t.version, steps, at: now },
  );
  return { finding: stored, ticket: applied.ticket };
}

/** Accept (if nobody had), then the resolve that carries the finding, then the callback (planStep adds it). */
function planFinding(
  core: Core,
  loaded: TicketForStep,
  f: { actor: string; evidence: string; finding: ConductFindingKind; staffId: string; consequence: string },
  now: Date,
): PlannedStep[] {
  const steps: PlannedStep[] = [];
  let current = loaded;
  if (loaded.ticket.status === 'dispatched') {
    const [accept] = planStep(core.org, loaded, { number: loaded.ticket.number, action: 'accept', actor: f.actor }, now);
    steps.push(accept);
    current = { ...loaded, ticket: { ...loaded.ticket, ...accept.patch, status: accept.status } };
  }
  // the evidence is the reply's note: the supervision card shows it; the bot never does
  const [resolve, ...after] = planStep(core.org, current, { number: loaded.ticket.number, action: 'resolve', actor: f.actor, note: f.evidence }, now);
  resolve.patch = { ...resolve.patch, conductStaffId: f.staffId, conductConfirmed: isConfirmed(f.finding) };
  resolve.event = { ...resolve.event, data: { ...resolve.event.data, finding: f.finding, staffId: f.staffId, consequence: f.consequence } };
  return [...steps, resolve, ...after];
}
