/**
 * What a resident sends while their ticket is open (words, a photo or an album, a voice message,
 * a location, an edit of an earlier message) joins that ticket as a note by the resident, instead
 * of filing a second ticket and paging the same people again. Every note owes the branch a line
 * in the card's thread (planMessages); only the first in ten minutes mentions anyone
 * (`notify`, resident-paging.ts), so a flood of messages pages staff once. A photo is also a
 * TicketPhoto of the ticket.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import { nearestCommunity } from '../org/nearest-community.js';
import { residentLine } from '../tickets/resident-paging.js';
import { pagingDuty } from '../duty/on-duty-now.js';
import { OPEN_STATUSES } from '../tickets/status-machine.js';
import { getOwnTicket } from './get-own-ticket.js';

/** Telegram's own limit for a message's text. */
export const FOLLOW_UP_MAX_CHARS = 4096;

/** What a follow-up carries besides words (Telegram's file id stays the way to fetch it). */
export type FollowUpMedia =
  | { kind: 'photo'; fileId: string }
  | { kind: 'voice' | 'audio' | 'video_note'; fileId: string; duration?: number }
  | { kind: 'location'; lat: number; lon: number };

export interface FollowUp {
  residentId: number;
  /** the open ticket it joins: one of the resident's own */
  number: string;
  /** the words, or the media's caption */
  text?: string | null;
  media?: FollowUpMedia;
  /** Telegram's media_group_id: the photos of one album get one answer */
  album?: string;
  /** the resident edited a message they had sent */
  edited?: boolean;
}

export interface FollowUpAdded {
  number: string;
  eventId: number;
  /** staff were mentioned (false: within ten minutes of the last time) */
  paged: boolean;
  /** false for the second and later photos of an album already answered */
  firstOfAlbum: boolean;
  /** for a location: the community nearest to it, when one is near */
  community?: { id: string; name: string };
}

/** The note's `data` (the agreed shape the Slack thread renders). */
interface NoteData {
  media?: FollowUpMedia['kind'];
  fileId?: string;
  duration?: number;
  location?: { lat: number; lon: number };
  communityId?: string;
  album?: string;
  edited?: true;
  notify?: string[];
  staffPaged?: false;
}

function albumOf(data: string | null): string | undefined {
  if (!data) return undefined;
  try {
    return (JSON.parse(data) as NoteData).album;
  } catch {
    return undefined;
  }
}

export async function addFollowUp(core: Core, input: FollowUp): Promise<FollowUpAdded> {
  const text = input.text?.trim() || null;
  if (!text && !input.media) throw new AppError('validation_failed', 'a follow-up needs words or media', { field: 'text' });
  if (text && text.length > FOLLOW_UP_MAX_CHARS)
    throw new AppError('validation_failed', `text: longer than ${FOLLOW_UP_MAX_CHARS} characters`, { field: 'text' });
  const m = input.media;
  if (m?.kind === 'location' && (!(Math.abs(m.lat) <= 90) || !(Math.abs(m.lon) <= 180)))
    throw new AppError('validation_failed', 'location: out of range', { field: 'location' });
  const ticket = await getOwnTicket(core, input.residentId, input.number);
  if (!OPEN_STATUSES.includes(ticket.status))
    throw new AppError('ticket_closed', `ticket ${ticket.number} is ${ticket.status}`, { number: ticket.number, status: ticket.status });

  const now = core.clock.now();
  const firstOfAlbum = !input.album || !ticket.events.some((e) => e.type === 'note' && albumOf(e.data) === input.album);
  const near = m?.kind === 'location' ? nearestCommunity(core.org, m) : null;
  const data: NoteData = {
    ...(m ? { media: m.kind } : {}),
    ...(m && m.kind !== 'location' ? { fileId: m.fileId } : {}),
    ...(m && 'duration' in m && m.duration !== undefined ? { duration: m.duration } : {}),
    ...(m?.kind === 'location' ? { location: { lat: m.lat, lon: m.lon } } : {}),
    ...(near ? { communityId: near.id } : {}),
    ...(input.album ? { album: input.album } : {}),
    ...(input.edited ? { edited: true as const } : {}),
  };
  const { paged, ...line } = residentLine(
    core.org,
    ticket,
    { type: 'note', residentId: input.residentId, text, data },
    now,
    await pagingDuty(core, ticket, now),
  );
  const eventId = await core.stores.intake.addNote({
    ticketId: ticket.id,
    ...line,
    photos: m?.kind === 'photo' ? [{ fileId: m.fileId, createdAt: now }] : [],
  });
  return { number: ticket.number, eventId, paged, firstOfAlbum, ...(near ? { community: { id: near.id, name: near.name } } : {}) };
}
