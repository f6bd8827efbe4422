import type { Core } from '../context.js';
import type { OutboxItem } from '../outbox/enqueue.js';

/** The occurrence a monthly report fires for: its alert key, its local date (YYYY-MM-DD) and the month that ended (YYYY-MM). */
export interface MonthlyOccurrence {
  key: string;
  date: string;
  month: string;
}

/** Builds a monthly report's messages when it fires; the items' keys derive from occurrence.key (sent once). */
export type MonthlyBuilder = (core: Pick<Core, 'stores' | 'org' | 'clock'>, occurrence: MonthlyOccurrence, now: Date) => Promise<OutboxItem[]>;
