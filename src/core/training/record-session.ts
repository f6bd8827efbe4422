/**
 * Records a training session held (R23/R24): its topic from the measures' list, the day, the
 * trainer, the branch ("" = the company) and who attended. A session recorded again (same topic,
 * day, trainer and branch) is the same session: the new attendees join it.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { RecordedSession } from '../ports/training-store.js';
import { staffOfActor } from '../staff/can-act.js';
import { canRecordTraining } from './can-record-training.js';
import { isFutureDate, isTrainingTopic, readTrainingDate } from './training-dates.js';

export interface RecordSessionInput {
  topic: string;
  /** YYYY-MM-DD, company time */
  date: string;
  trainer: string;
  /** staff ids */
  attendees: readonly string[];
  /** "" = the company; a branch recorder's own branch when absent */
  branchId?: string;
  note?: string | null;
  /** staff:<id>, or api:<client> (the CSV import) */
  actor: string;
}

export const TRAINER_MAX = 100;
export const NOTE_MAX = 500;

/** Checks the input and who records it; throws the first problem with its field. */
export function checkSession(core: Pick<Core, 'org' | 'clock'>, i: RecordSessionInput) {
  const bad = (field: string, message: string) => new AppError('validation_failed', message, { field });
  if (!isTrainingTopic(i.topic)) throw bad('topic', `topic: one of the measures' list, not ${i.topic}`);
  const day = readTrainingDate(i.date);
  if (!day) throw new AppError('invalid_date', `date: YYYY-MM-DD, not ${i.date}`, { field: 'date' });
  if (isFutureDate(day.date, core.clock.now())) throw new AppError('invalid_date', `date: ${day.date} is in the future`, { field: 'date', reason: 'future' });
  const trainer = i.trainer.trim();
  if (!trainer) throw bad('trainer', 'trainer: who gave the session');
  if (trainer.length > TRAINER_MAX) throw bad('trainer', `trainer: at most ${TRAINER_MAX} characters`);
  const note = i.note?.trim() || null;
  if (note && note.length > NOTE_MAX) throw bad('note', `note: at most ${NOTE_MAX} characters`);
  if (!i.attendees.length) throw bad('attendees', 'attendees: at least one staff member');
  const unknown = i.attendees.filter((id) => !core.org.staff.has(id));
  if (unknown.length) throw new AppError('unknown_staff', `not in the organisation file: ${unknown.join(', ')}`, { field: 'attendees', staff: unknown });
  const recorder = staffOfActor(core.org, i.actor);
  const branchId = i.branchId ?? recorder?.branchId ?? '';
  if (branchId && !core.org.branches.has(branchId)) throw new AppError('unknown_branch', `no branch ${branchId}`, { field: 'branch' });
  if (i.actor.startsWith('staff:')) {
    const may = canRecordTraining(core.org, recorder, { branchId, attendees: i.attendees });
    if (!may.allowed) throw new AppError('forbidden', `${i.actor} may not record this session: ${may.reason}`, { reason: may.reason });
  }
  return { topic: i.topic, date: day.date, year: day.year, trainer, branchId, note };
}

export async function recordSession(core: Core, i: RecordSessionInput): Promise<RecordedSession> {
  const s = checkSession(core, i);
  return core.stores.training.recordSession({ ...s, createdBy: i.actor, createdAt: core.clock.now() }, i.attendees);
}
