/**
 * A change of an open incident: a new expected restoration (every resident of its communities is
 * told again), its cause or severity corrected, or a note on its timeline. The card refreshes;
 * the leaders hear of a major incident's change (R8k).
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { Incident } from '../model.js';
import type { OutboxRow } from '../outbox/enqueue.js';
import { CAUSE_MAX } from './declare-incident.js';
import { cardRows, leadersRows, noticeRows } from './incident-messages.js';
import { loadIncident } from './load-incident.js';

export interface IncidentUpdate {
  /** id or number */
  id: number | string;
  actor: string;
  expectedAt?: Date | null;
  cause?: string;
  severity?: 'normal' | 'major';
  note?: string;
}

export const NOTE_MAX = 1000;

function bad(field: string, message: string): never {
  throw new AppError('validation_failed', `${field}: ${message}`, { field });
}

export async function updateIncident(core: Core, input: IncidentUpdate): Promise<Incident> {
  if (!input.actor?.trim()) bad('actor', 'must not be empty');
  const cause = input.cause === undefined ? undefined : input.cause.trim();
  if (cause !== undefined && !cause) bad('cause', 'must not be empty');
  if (cause && cause.length > CAUSE_MAX) bad('cause', `is longer than ${CAUSE_MAX} characters`);
  if (input.severity !== undefined && input.severity !== 'normal' && input.severity !== 'major') bad('severity', 'must be normal or major');
  const note = input.note?.trim() || null;
  if (note && note.length > NOTE_MAX) bad('note', `is longer than ${NOTE_MAX} characters`);
  const now = core.clock.now();
  if (input.expectedAt && input.expectedAt.getTime() < now.getTime()) {
    throw new AppError('expected_time_past', `the expected restoration ${input.expectedAt.toISOString()} is before now`, { expectedAt: input.expectedAt });
  }
  const incident = await loadIncident(core, input.id);
  if (incident.status !== 'open')
    throw new AppError('invalid_transition', `incident ${incident.number} is restored`, { from: incident.status, action: 'update' });

  const patch: Partial<Pick<Incident, 'expectedAt' | 'cause' | 'severity'>> = {};
  if (input.expectedAt !== undefined && (input.expectedAt?.getTime() ?? null) !== (incident.expectedAt?.getTime() ?? null)) patch.expectedAt = input.expectedAt;
  if (cause !== undefined && cause !== incident.cause) patch.cause = cause;
  // a primary section stays major (R8k)
  if (input.severity && input.severity !== incident.severity && !(incident.scope === 'primary_section' && input.severity === 'normal'))
    patch.severity = input.severity;
  if (!Object.keys(patch).length && !note) bad('expectedAt', 'nothing to change');

  const version = incident.version + 1;
  const after = { ...incident, ...patch, version };
  const messages: OutboxRow[] = [...cardRows(core.org, after, now)];
  if (Object.keys(patch).length) messages.push(...leadersRows(core.org, after, 'updated', now));
  // residents are told again only when what they were told (the expected time) changed
  if ('expectedAt' in patch) {
    const residents = await core.stores.incidents.residentsToNotify(incident.communityIds, incident.id);
    messages.push(...noticeRows(incident, 'updated', version, residents, now));
  }
  const changed = Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));
  return core.stores.incidents.update({
    id: incident.id,
    version: incident.version,
    patch: { ...patch, updatedAt: now },
    event: { at: now, type: Object.keys(patch).length ? 'updated' : 'note', actor: input.actor, note, data: Object.keys(changed).length ? changed : null },
    messages,
  });
}
