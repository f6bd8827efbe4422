/**
 * A year of training (R23/R24): the sessions held, and for each service staff member the sessions
 * they attended and the topics covered; those with none are the ones the reminder and the
 * dashboard name. For one branch: its staff, and the sessions its staff attended or it held.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import { TRAINING_TOPICS, type TrainingTopic } from '../model.js';
import type { Staff } from '../org/types.js';
import type { SessionWithAttendance } from '../ports/training-store.js';
import { currentYear } from './training-dates.js';

/** The staff the measures' yearly training is for: those who serve residents. Leaders and admins organise it. */
export const TRAINED_ROLES: readonly string[] = ['centre_agent', 'branch_coordinator', 'field_staff', 'billing'];

export interface StaffTraining {
  staffId: string;
  /** null: the centre */
  branchId: string | null;
  /** one of those the yearly training is for (TRAINED_ROLES); others are listed when they attended */
  service: boolean;
  sessions: number;
  /** the measures' topics covered, in the list's order */
  topics: TrainingTopic[];
  /** YYYY-MM-DD of the latest session attended */
  lastDate: string | null;
}

export interface TrainingYear {
  year: number;
  /** undefined: the whole company */
  branchId?: string;
  sessions: SessionWithAttendance[];
  /** service staff first by branch (the centre first), then anyone else who attended */
  staff: StaffTraining[];
  /** service staff with no session this year */
  untrained: string[];
}

/** A ?year= value: 2000 to next year; this year when absent. */
export function readYear(raw: string | number | undefined, now: Date): number {
  if (raw === undefined || raw === '') return currentYear(now);
  const y = typeof raw === 'number' ? raw : /^\d{4}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isInteger(y) || y < 2000 || y > currentYear(now) + 1) throw new AppError('validation_failed', 'year: YYYY, 2000 to next year', { field: 'year' });
  return y;
}

const TOPIC_ORDER: readonly string[] = TRAINING_TOPICS;

/** Which staff a place covers: a branch's, or (undefined) everyone's. */
const inPlace = (branchId: string | undefined) => (s: Staff) => branchId === undefined || s.branchId === branchId;

export async function trainingYear(core: Pick<Core, 'stores' | 'org'>, o: { year: number; branchId?: string }): Promise<TrainingYear> {
  if (o.branchId !== undefined && !core.org.branches.has(o.branchId)) throw new AppError('unknown_branch', `no branch ${o.branchId}`, { field: 'branch' });
  const all = await core.stores.training.sessionsOfYear(o.year);
  const staff = [...core.org.staff.values()].filter(inPlace(o.branchId));
  const ids = new Set(staff.map((s) => s.id));
  const sessions = o.branchId === undefined ? all : all.filter((s) => s.branchId === o.branchId || s.staffIds.some((id) => ids.has(id)));
  const attended = new Map<string, SessionWithAttendance[]>();
  for (const s of sessions) for (const id of s.staffIds) if (ids.has(id)) attended.set(id, [...(attended.get(id) ?? []), s]);
  const order = [...core.org.branches.keys()];
  const rank = (s: Staff) => (s.branchId === null ? -1 : order.indexOf(s.branchId));
  const listed = staff
    .filter((s) => TRAINED_ROLES.includes(s.role) || attended.has(s.id))
    .sort((a, b) => Number(!TRAINED_ROLES.includes(a.role)) - Number(!TRAINED_ROLES.includes(b.role)) || rank(a) - rank(b));
  const rows = listed.map((s): StaffTraining => {
    const mine = attended.get(s.id) ?? [];
    const covered = new Set(mine.map((x) => x.topic));
    return {
      staffId: s.id,
      branchId: s.branchId,
      service: TRAINED_ROLES.includes(s.role),
      sessions: mine.length,
      topics: [...covered].sort((a, b) => TOPIC_ORDER.indexOf(a) - TOPIC_ORDER.indexOf(b)),
      lastDate: mine.length ? mine[mine.length - 1].date : null,
    };
  });
  const untrained = rows.filter((r) => r.service && r.sessions === 0).map((r) => r.staffId);
  return { year: o.year, branchId: o.branchId, sessions, staff: rows, untrained };
}
