/** Dates of training sessions: YYYY-MM-DD in company time, a real calendar day, not after today. */
import { localIsoDate } from '../local-time.js';
import { TRAINING_TOPICS, type TrainingTopic } from '../model.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A YYYY-MM-DD that names a real day (2026-02-30 does not); null otherwise. */
export function readTrainingDate(raw: string): { date: string; year: number } | null {
  const m = ISO_DATE.exec(raw.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (y < 2000 || day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return null;
  return { date: m[0], year: y };
}

/** Whether the day is after today in company time (a session cannot be recorded before it is held). */
export function isFutureDate(date: string, now: Date): boolean {
  return date > localIsoDate(now);
}

export function isTrainingTopic(v: string): v is TrainingTopic {
  return (TRAINING_TOPICS as readonly string[]).includes(v);
}

/** The company's year now. */
export function currentYear(now: Date): number {
  return Number(localIsoDate(now).slice(0, 4));
}
