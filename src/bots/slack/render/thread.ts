/**
 * The conversation on a ticket as its card's thread shows it: what the resident sends after
 * filing (words, photos, voice, a location, urging: `note` and `urged` events written by the
 * Telegram side) and what staff answered through the reply modal (`staff_reply`). People's words
 * are quoted, escaped, in a verbatim block (never a link or a mention); the staff to page
 * (`notify` on the event) are the only mentions. The card's counts (📷 2 · 💬 3) come from the same events.
 */
import { formatMinute } from '../../../core/local-time.js';
import type { TicketEvent, TicketPhoto } from '../../../core/model.js';
import { mapUrl } from '../../../core/org/map-link.js';
import { esc } from './blocks.js';
import { actorName, communityName, mention, tr, type RenderCtx } from './names.js';

/** The longest quote in a thread line, in characters of the raw text (a section holds 3,000 escaped). */
export const QUOTE_MAX = 2000;

export type Media = 'photo' | 'voice' | 'audio' | 'video_note' | 'location';

/** What a conversation event carries beside its words (the agreement between the bots). */
export interface NoteData {
  media?: Media;
  fileId?: string;
  duration?: number;
  location?: { lat: number; lon: number };
  communityId?: string;
  notify?: string[];
  staffPaged?: boolean;
  via?: 'thread' | 'modal';
}

export function noteData(e: Pick<TicketEvent, 'data'>): NoteData {
  try {
    const d = e.data ? (JSON.parse(e.data) as unknown) : {};
    return d && typeof d === 'object' ? (d as NoteData) : {};
  } catch {
    return {};
  }
}

const fromResident = (e: Pick<TicketEvent, 'type' | 'actor'>) => e.actor.startsWith('resident:') && (e.type === 'note' || e.type === 'urged');

/** Whether the event is a line of the conversation in the card's thread (a thread reply is there already). */
export function isConversationEvent(e: Pick<TicketEvent, 'type' | 'actor' | 'data'>): boolean {
  if (fromResident(e)) return true;
  return e.type === 'staff_reply' && noteData(e).via === 'modal';
}

/** Cut on the raw text, before escaping (cutting after could split an `&amp;`), with a mark that more follows. */
export function cutRaw(ctx: RenderCtx, text: string, max: number): { text: string; cut: boolean } {
  const chars = [...text];
  if (chars.length <= max) return { text, cut: false };
  return { text: `${chars.slice(0, max).join('').trimEnd()}${tr(ctx, 'thread.cut')}`, cut: true };
}

/** "> words" for every line, escaped. */
export function quote(text: string): string {
  return `>${esc(text).replace(/\n/g, '\n>')}`;
}

/** The thread line of a conversation event: "2026-11-28 14:02 · The resident added, for <@U…>:\n>words". */
export function conversationLine(ctx: RenderCtx, e: TicketEvent): string {
  const d = noteData(e);
  const who = actorName(ctx, e.actor);
  const notify = (d.notify ?? []).map((id) => mention(ctx, id)).filter(Boolean);
  const mentions = notify.length ? tr(ctx, 'thread.attention', { who: notify.join(' ') }) : '';
  const words = e.note?.trim() ? `\n${quote(cutRaw(ctx, e.note.trim(), QUOTE_MAX).text)}` : '';
  const location = d.media === 'location' ? mapUrl(d.location?.lat, d.location?.lon) : undefined;
  let head: string;
  if (e.type === 'staff_reply') head = tr(ctx, 'thread.staff_reply', { who });
  else if (e.type === 'urged') head = tr(ctx, 'thread.urged', { who, mentions });
  else if (d.media === 'photo') head = tr(ctx, 'thread.photo', { who, mentions });
  else if (d.media === 'voice' || d.media === 'audio' || d.media === 'video_note')
    head = tr(ctx, 'thread.voice', { who, mentions, seconds: d.duration ?? '?' });
  else if (location) {
    const near = d.communityId ? tr(ctx, 'thread.near', { community: esc(communityName(ctx, d.communityId)) }) : '';
    head = tr(ctx, 'thread.location', { who, mentions, url: location, near });
  } else head = tr(ctx, 'thread.note', { who, mentions });
  return `${formatMinute(e.at)} · ${head}${words}`;
}

/** A file the resident sent that the thread should show, if the event has one. */
export function residentFile(e: TicketEvent): { fileId: string; kind: 'photo' | 'audio' } | undefined {
  if (!fromResident(e)) return undefined;
  const d = noteData(e);
  if (!d.fileId || typeof d.fileId !== 'string') return undefined;
  if (d.media === 'photo') return { fileId: d.fileId, kind: 'photo' };
  if (d.media === 'voice' || d.media === 'audio' || d.media === 'video_note') return { fileId: d.fileId, kind: 'audio' };
  return undefined;
}

/**
 * What the resident sent on the ticket: photos (the ticket's photos, and photo notes whose file is
 * not among them) and text notes (words without a file or a place).
 */
export function residentCounts(events: readonly TicketEvent[], photos: readonly Pick<TicketPhoto, 'fileId'>[] = []): { photos: number; notes: number } {
  const files = new Set(photos.map((p) => p.fileId));
  let extraPhotos = 0;
  let notes = 0;
  for (const e of events) {
    if (e.type !== 'note' || !e.actor.startsWith('resident:')) continue;
    const d = noteData(e);
    if (d.media === 'photo') {
      if (!d.fileId || !files.has(d.fileId)) extraPhotos++;
    } else if (!d.media && e.note?.trim()) notes++;
  }
  return { photos: files.size + extraPhotos, notes };
}

/** "📷 2 · 💬 3", or '' when the resident sent nothing after filing. */
export function countsText(ctx: RenderCtx, c: { photos: number; notes: number }): string {
  const parts: string[] = [];
  if (c.photos) parts.push(tr(ctx, 'thread.counts_photos', { n: c.photos }));
  if (c.notes) parts.push(tr(ctx, 'thread.counts_notes', { n: c.notes }));
  return parts.join(' · ');
}
