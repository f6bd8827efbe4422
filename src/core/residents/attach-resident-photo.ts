/**
 * A photo a resident sends on its own, shortly after a report: it belongs to their latest open
 * ticket from the last `withinMinutes`. Returns that ticket's number, or null when there is none
 * (the bot then asks what the photo is about).
 */
import type { Core } from '../context.js';
import { OPEN_STATUSES } from '../tickets/status-machine.js';

export const PHOTO_WINDOW_MINUTES = 30;

export async function attachResidentPhoto(core: Core, input: { residentId: number; fileId: string; withinMinutes?: number }): Promise<string | null> {
  const now = core.clock.now();
  const since = new Date(now.getTime() - (input.withinMinutes ?? PHOTO_WINDOW_MINUTES) * 60_000);
  return core.stores.intake.attachPhoto({ residentId: input.residentId, statuses: OPEN_STATUSES, since, fileId: input.fileId, at: now });
}
