/**
 * R8l in bulk: a branch's bundle of HQ copies came back. Every form of the branch whose service
 * date (company time) falls in [from, to], both days included, and is not back yet is marked with
 * who and when; forms marked before keep their record.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import { localIsoDate, zonedTimeToUtc } from '../local-time.js';
import { assertMayMarkForms } from './may-mark-forms.js';

/** A year and a day: a range past it is a typing mistake rather than a bundle of forms. */
export const MAX_RANGE_DAYS = 366;

export interface MarkRangeInput {
  branchId: string;
  /** YYYY-MM-DD, company time */
  from: string;
  /** YYYY-MM-DD, company time, included */
  to: string;
  actor: string;
}

export interface MarkRangeResult {
  count: number;
  branchId: string;
  from: string;
  to: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function day(value: string, field: 'from' | 'to'): { year: number; month: number; day: number } {
  const m = DATE.exec(value?.trim() ?? '');
  const parts = m && { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const real = parts && new Date(Date.UTC(parts.year, parts.month - 1, parts.day));
  if (!parts || !real || real.getUTCMonth() !== parts.month - 1 || real.getUTCDate() !== parts.day)
    throw new AppError('invalid_range', `${field}: not a date YYYY-MM-DD: ${value}`, { field, value });
  return parts;
}

export async function markFormsReturned(core: Core, input: MarkRangeInput): Promise<MarkRangeResult> {
  assertMayMarkForms(core.org, input.actor);
  if (!core.org.branches.has(input.branchId)) throw new AppError('unknown_branch', `no branch ${input.branchId}`, { branch: input.branchId, field: 'branch' });
  const a = day(input.from, 'from');
  const b = day(input.to, 'to');
  const from = zonedTimeToUtc(a);
  const until = zonedTimeToUtc({ ...b, day: b.day + 1 });
  const now = core.clock.now();
  if (from >= until) throw new AppError('invalid_range', `from ${input.from} is after to ${input.to}`, { field: 'to', from: input.from, to: input.to });
  if (input.to.trim() > localIsoDate(now))
    throw new AppError('invalid_range', `to ${input.to} is in the future: no form of a day to come can be back`, { field: 'to', to: input.to });
  if (until.getTime() - from.getTime() > (MAX_RANGE_DAYS + 1) * 86_400_000)
    throw new AppError('invalid_range', `the range is longer than ${MAX_RANGE_DAYS} days`, { field: 'from', from: input.from, to: input.to });
  const count = await core.stores.forms.markReturnedInRange({ branchId: input.branchId, from, until }, { at: now, by: input.actor });
  return { count, branchId: input.branchId, from: input.from.trim(), to: input.to.trim() };
}
