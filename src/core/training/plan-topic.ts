/** Puts a topic of the measures' list in a year's training plan (R23/R24), for the company ("") or a branch, in a month. */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { TrainingPlanItem } from '../model.js';
import { staffOfActor } from '../staff/can-act.js';
import { canRecordTraining } from './can-record-training.js';
import { currentYear, isTrainingTopic } from './training-dates.js';

export interface PlanTopicInput {
  year: number;
  month: number;
  topic: string;
  /** "" = the company; a branch planner's own branch when absent */
  branchId?: string;
  actor: string;
}

export async function planTopic(core: Core, i: PlanTopicInput): Promise<{ item: TrainingPlanItem; created: boolean }> {
  const bad = (field: string, message: string) => new AppError('validation_failed', message, { field });
  if (!isTrainingTopic(i.topic)) throw bad('topic', `topic: one of the measures' list, not ${i.topic}`);
  const now = core.clock.now();
  // this year or the next: a plan is written ahead, never for a year gone
  if (!Number.isInteger(i.year) || i.year < currentYear(now) || i.year > currentYear(now) + 1) throw bad('year', 'year: this year or the next');
  if (!Number.isInteger(i.month) || i.month < 1 || i.month > 12) throw bad('month', 'month: 1 to 12');
  const planner = staffOfActor(core.org, i.actor);
  const branchId = i.branchId ?? planner?.branchId ?? '';
  if (branchId && !core.org.branches.has(branchId)) throw new AppError('unknown_branch', `no branch ${branchId}`, { field: 'branch' });
  if (i.actor.startsWith('staff:')) {
    const may = canRecordTraining(core.org, planner, { branchId });
    if (!may.allowed) throw new AppError('forbidden', `${i.actor} may not plan training: ${may.reason}`, { reason: may.reason });
  }
  return core.stores.training.planTopic({ year: i.year, month: i.month, topic: i.topic, branchId, createdBy: i.actor, createdAt: now });
}
