/**
 * Heat is back: the incident is restored. Every linked report still open is resolved by the
 * ticket rules (a resolve, then the callback R8h asks for: every closed complaint is called back),
 * each resident of its communities is told, with 暖气恢复了吗？ buttons that close or reopen their
 * report, and the card and the leaders (R8k) hear of it. A share of the linked reports
 * (incidents.phoneSample) is called back by phone by the centre; the rest are asked in the bot by
 * the notice itself. Each linked report stays a repair request of its own for R27, resolved
 * within the incident's time limit.
 */
import type { Core } from '../context.js';
import { AppError, isAppError } from '../errors.js';
import type { Incident } from '../model.js';
import type { PlannedStep, StepPlan } from '../ports/ticket-store.js';
import { botTimeoutAlert, LATER_RATING, WARM_CHECK } from '../tickets/start-callback.js';
import { planStep } from '../tickets/transition-ticket.js';
import { followOriginal } from '../tickets/follow-original.js';
import { incidentStandsFor } from './stands-for.js';
import { cardRows, leadersRows, noticeRows } from './incident-messages.js';
import { loadIncident } from './load-incident.js';
import { NOTE_MAX } from './update-incident.js';
import { CITY_REQUEST_CLOSED } from '../open311/closed-webhook.js';

export interface IncidentRestoration {
  id: number | string;
  actor: string;
  note?: string;
}

/** Whether a linked ticket is among the share called back by phone: spread evenly over the ids, the same on every run. */
export function phoneSampled(ticketId: number, share: number): boolean {
  if (share <= 0) return false;
  if (share >= 1) return true;
  // Knuth's multiplicative hash: consecutive ids land far apart
  return ((ticketId * 2654435761) % 2 ** 32) / 2 ** 32 < share;
}

/** Tries of a restoration that reports kept joining while it was decided (a cold snap's last minutes). */
const TRIES = 3;

export async function restoreIncident(core: Core, input: IncidentRestoration): Promise<Incident> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { incident, resolved } = await restoreOnce(core, input);
      await followDuplicates(core, resolved);
      return incident;
    } catch (e) {
      if (attempt >= TRIES || !isAppError(e, 'concurrent_update') || !e.context.lateLinks) throw e;
    }
  }
}

/**
 * A report marked as a duplicate of one that was linked afterwards (declaring links a community's
 * recent reports) waits for that original: it follows it now, its resident told and called back
 * like any duplicate's (R8h). One read for the whole incident, then only the originals that have any.
 */
async function followDuplicates(core: Core, resolved: readonly number[]): Promise<void> {
  const waiting = await core.stores.tickets.duplicatesOf(resolved, ['duplicate']);
  for (const original of new Set(waiting.map((d) => d.ticket.duplicateOfId!))) await followOriginal(core, { id: original });
}

async function restoreOnce(core: Core, input: IncidentRestoration): Promise<{ incident: Incident; resolved: number[] }> {
  if (!input.actor?.trim()) throw new AppError('validation_failed', 'actor: must not be empty', { field: 'actor' });
  const note = input.note?.trim() || null;
  if (note && note.length > NOTE_MAX) throw new AppError('validation_failed', `note: is longer than ${NOTE_MAX} characters`, { field: 'note' });
  const incident = await loadIncident(core, input.id);
  if (incident.status !== 'open')
    throw new AppError('invalid_transition', `incident ${incident.number} is restored already`, { from: incident.status, action: 'restore' });
  const now = core.clock.now();
  const { org } = core;
  const result = note ?? `${incident.cause} (${incident.number})`;

  const tickets: StepPlan[] = [];
  for (const loaded of await core.stores.incidents.openLinked(incident.id)) {
    const t = loaded.ticket;
    if (t.status !== 'accepted' && t.status !== 'on_site') continue;
    // sampled for a phone call: planned as for a resident the bot cannot reach
    const chat = phoneSampled(t.id, org.config.incidents.phoneSample) ? null : loaded.residentChatId;
    const [resolve, callback] = planStep(
      org,
      { ticket: t, residentChatId: chat },
      { number: t.number, action: 'resolve', actor: input.actor, note: result },
      now,
    );
    tickets.push({
      ticketId: t.id,
      version: t.version,
      steps: [linkedResolve(resolve, incident.id, !incidentStandsFor(t)), ...(callback ? [askedByNotice(core, callback, t.id, chat, now)] : [])],
      at: now,
    });
  }

  const version = incident.version + 1;
  const after: Incident = { ...incident, status: 'restored', restoredAt: now, restoredBy: input.actor, version };
  const residents = await core.stores.incidents.residentsToNotify(incident.communityIds, incident.id);
  const restored = await core.stores.incidents.restore({
    id: incident.id,
    version: incident.version,
    patch: { status: 'restored', restoredAt: now, restoredBy: input.actor, updatedAt: now },
    event: { at: now, type: 'restored', actor: input.actor, note, data: { resolved: tickets.length } },
    messages: [...cardRows(org, after, now), ...leadersRows(org, after, 'restored', now), ...noticeRows(incident, 'restored', version, residents, now)],
    tickets,
  });
  return { incident: restored, resolved: tickets.map((t) => t.ticketId) };
}

/**
 * The resolve of a linked report: its event names the incident; the resident hears of it through
 * the incident's notice. A report that had its card before the link (stands-for.ts) keeps it up
 * to date; the others have none.
 */
function linkedResolve(step: PlannedStep, incidentId: number, hasCard: boolean): PlannedStep {
  return {
    ...step,
    event: { ...step.event, data: { ...step.event.data, incidentId } },
    // a city platform that filed it is told it closed all the same (open311/closed-webhook.ts)
    owed: (ids) => ({ messages: step.owed(ids).messages.filter((m) => (hasCard && m.kind === 'ticket_card') || m.kind === CITY_REQUEST_CLOSED), alerts: [] }),
  };
}

/**
 * The callback after it: a resident the bot reaches is asked by the heat-back notice's buttons
 * (暖气恢复了吗？), not by a second question later, so the bot's time-out runs from now; anyone
 * else is the centre's phone task as usual.
 */
function askedByNotice(core: Core, step: PlannedStep, ticketId: number, chat: string | null, now: Date): PlannedStep {
  if (!chat) return step;
  return {
    ...step,
    owed: (ids) => {
      const owed = step.owed(ids);
      const alerts = owed.alerts.filter((a) => a.kind !== WARM_CHECK && a.kind !== LATER_RATING);
      if (ids.callbackId !== null) alerts.push(botTimeoutAlert(core.org, ticketId, ids.callbackId, now));
      return { messages: owed.messages, alerts };
    },
  };
}
