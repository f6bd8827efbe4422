/**
 * A delivery whose outcome is unknown: the platform may have taken the message although the
 * outbox never heard so (a timeout, a dropped connection, a 5xx after sending, or an instance that
 * stopped between the platform's answer and writing "sent"). Such a row stays owed, and its next
 * attempt first looks on the platform for what it may already have posted (where the platform
 * lets it: a Slack channel's history; the Telegram Bot API has no such read-back).
 *
 * The doubt is kept in the row's lastError, which admins read in the dead letters too: it
 * survives the row being released and claimed again, and "sent" clears it.
 */
import type { OutboxMessage } from '../model.js';

const PREFIX = 'outcome unknown: ';

/** lastError for an attempt that may have reached the platform. */
export function outcomeUnknown(why: string): string {
  return why.startsWith(PREFIX) ? why : `${PREFIX}${why}`;
}

/** The row's last attempt may have reached the platform. */
export function isOutcomeUnknown(row: Pick<OutboxMessage, 'lastError'>): boolean {
  return row.lastError?.startsWith(PREFIX) ?? false;
}

/** lastError of a row claimed while a lease on it was still held: its holder stopped in the middle of a delivery. */
export const CUT_OFF = outcomeUnknown('a delivery was cut off before its outcome was written (the instance stopped or its pass failed)');
