/**
 * The training reminder (R23/R24), on the 1st at 10:00: each branch's head is told which of the
 * branch's service staff have had no training session this year (the branch's leaders channel,
 * else its reports or dispatch channel), and the centre's leaders which of the centre's staff
 * have not. A place where everyone has been trained is sent nothing. On 1 January the reminder
 * is about the year that ended: its list is final.
 */
import type { OutboxItem } from '../outbox/enqueue.js';
import { TRAINED_ROLES, trainingYear } from '../training/training-year.js';
import type { MonthlyBuilder } from './monthly-builder.js';

/** The payload the Slack app renders (deliverer.ts): staff ids, named when delivered. */
export interface TrainingReminderPayload {
  report: 'training';
  date: string;
  year: number;
  /** null: the centre */
  branchId: string | null;
  staffIds: string[];
  /** the place's service staff, trained or not */
  of: number;
}

export const trainingReport: MonthlyBuilder = async (core, occurrence) => {
  const year = Number(occurrence.month.slice(0, 4));
  const overview = await trainingYear(core, { year });
  const items: OutboxItem[] = [];
  const places: (string | null)[] = [null, ...core.org.branches.keys()];
  for (const branchId of places) {
    const staff = overview.staff.filter((s) => s.branchId === branchId && overview.untrained.includes(s.staffId));
    if (!staff.length) continue;
    const ch = branchId === null ? core.org.config.centre.channels : core.org.branches.get(branchId)?.channels;
    const target = branchId === null ? ch?.leaders : (ch?.leaders ?? ch?.reports ?? ch?.dispatch);
    if (!target) continue;
    const of = [...core.org.staff.values()].filter((s) => s.branchId === branchId && TRAINED_ROLES.includes(s.role)).length;
    const payload: TrainingReminderPayload = { report: 'training', date: occurrence.date, year, branchId, staffIds: staff.map((s) => s.staffId), of };
    items.push({ key: `report:${occurrence.key}:${branchId ?? 'centre'}`, platform: 'slack', target, kind: 'report', payload: { ...payload } });
  }
  return items;
};
