/**
 * Staff answer the resident from the card: a reply in the card's thread (Events API `message`
 * events of the channels the app is in), or the card's "reply to resident" button and its modal.
 * Both go through core/tickets/reply-to-resident.ts, which stores the reply and owes it to the
 * resident's Telegram chat. Only people of the organisation who may act on the ticket are relayed;
 * the app's own and other bots' messages, edits and deletions (subtypes), strangers and messages
 * outside a ticket card's thread are ignored. Slack's retries of an event are dropped by the
 * inbound gate (dedupe.ts) by event_id, so a reply is relayed once.
 */
import type { App } from '@slack/bolt';
import { AppError } from '../../../core/errors.js';
import { canAct } from '../../../core/staff/can-act.js';
import { replyToResident } from '../../../core/tickets/reply-to-resident.js';
import { errorText, refusalText, renderCtx, staffFor, tell, ticketWithEvents, type Audience, type SlackDeps } from '../kit.js';
import { readReply, replyModal, REPLY_VIEW } from '../modals/reply-modal.js';
import { origin } from '../modals/view-state.js';
import { readValue } from '../render/blocks.js';
import { common, staffName, tr } from '../render/names.js';
import { slackToPlain } from '../render/plain-text.js';
import { ACTION } from '../render/ticket-card.js';
import { viewOnce } from './dedupe.js';
import { whereClicked, type ActionArgs, type ViewArgs, type WebClient } from './types.js';

/** The fields of a message event this listener reads. */
interface MessageEvent {
  type: string;
  subtype?: string;
  bot_id?: string;
  user?: string;
  channel?: string;
  ts?: string;
  thread_ts?: string;
  text?: string;
}

/** Subtypes that are still a person writing in the thread; every other (edits, joins, bots) is not a reply. */
const REPLY_SUBTYPES = new Set([undefined, 'thread_broadcast']);

export function registerThreadReplies(app: App, d: SlackDeps): void {
  app.event('message', async (args) => {
    const { event, client } = args as unknown as { event: MessageEvent; client: WebClient };
    if (!REPLY_SUBTYPES.has(event.subtype) || event.bot_id || !event.user || !event.channel || !event.ts) return;
    if (!event.thread_ts || event.thread_ts === event.ts) return;
    const card = await d.core.stores.outbox.cardAt(event.channel, event.thread_ts);
    if (!card) return;
    const staff = staffFor(d, event.user);
    // people outside the organisation may sit in a channel: their words are not the company's answer
    if (!staff) return;
    const to: Audience = { user: event.user, channel: event.channel };
    const view = await d.core.stores.views.ticketById(card.ticketId);
    if (!view) return;
    await relay(d, client, to, view.number, event.text ?? '', 'thread', event.ts);
  });

  app.action(ACTION.reply, async (args) => {
    const a = args as unknown as ActionArgs;
    await a.ack();
    const ctx = renderCtx(d);
    const where = whereClicked(a.body);
    const to = { user: a.body.user.id, channel: where.ch };
    const v = readValue(a.action.value);
    if (!v?.n) return;
    const staff = staffFor(d, a.body.user.id);
    const t = await ticketWithEvents(d, v.n);
    if (!t) return tell(a.client, d, to, tr(ctx, 'error.ticket_not_found'));
    const decision = canAct(d.core.org, staff, t, 'step');
    if (!decision.allowed) return tell(a.client, d, to, refusalText(ctx, decision.reason));
    // refused before the modal opens when it could only be refused after it
    const early = await replyRefusal(d, t.number, t.status, t.residentId);
    if (early) return tell(a.client, d, to, early);
    await a.client.views.open({ trigger_id: a.body.trigger_id!, view: replyModal(ctx, t, staffName(ctx, staff!.id), where) });
  });

  app.view(REPLY_VIEW, async (args) => {
    const a = args as unknown as ViewArgs;
    const ctx = renderCtx(d);
    const r = readReply(ctx, a.view);
    if (!r.ok) return a.ack({ response_action: 'errors', errors: r.errors });
    await a.ack();
    const from = origin(a.view);
    if (!from.n) return;
    await viewOnce(d, a.view.id, () => relay(d, a.client, { user: a.body.user.id, channel: from.ch }, from.n!, r.text, 'modal'));
  });
}

/** Stores and owes the reply, then tells the staff member it went or why not (only they see it). */
async function relay(d: SlackDeps, client: WebClient, to: Audience, number: string, raw: string, via: 'thread' | 'modal', sourceTs?: string): Promise<void> {
  const ctx = renderCtx(d);
  try {
    // a thread message comes in Slack's markup; a modal's text input is the words as typed
    const text = via === 'thread' ? slackToPlain(d.core.org, raw) : raw;
    await replyToResident(d.core, { number, staff: staffFor(d, to.user), text, via, sourceTs });
    d.kick?.();
    await tell(client, d, to, tr(ctx, 'thread.reply_sent', { number }));
  } catch (e) {
    await tell(client, d, to, await replyErrorText(d, e, number));
  }
}

/** A refusal of reply-to-resident in the staff member's words; other errors as everywhere else. */
async function replyErrorText(d: SlackDeps, e: unknown, number: string): Promise<string> {
  const ctx = renderCtx(d);
  if (e instanceof AppError) {
    const c = e.context;
    if (e.code === 'ticket_closed') return tr(ctx, 'thread.error_ticket_closed', { number, status: common(ctx, `status.${String(c.status)}`) });
    if (e.code === 'resident_unreachable') return tr(ctx, 'thread.error_resident_unreachable', { number });
    if (e.code === 'reply_too_long') return tr(ctx, 'thread.error_reply_too_long', { length: Number(c.length), max: Number(c.max) });
    if (e.code === 'validation_failed') return tr(ctx, 'thread.error_empty');
  }
  return errorText(d, e, number);
}

/** Why a reply could not go, known before anyone writes it. */
async function replyRefusal(d: SlackDeps, number: string, status: string, residentId: number | null): Promise<string | null> {
  const ctx = renderCtx(d);
  if (['closed', 'cancelled', 'duplicate'].includes(status)) return tr(ctx, 'thread.error_ticket_closed', { number, status: common(ctx, `status.${status}`) });
  const resident = residentId !== null ? await d.core.stores.residents.byId(residentId) : null;
  if (!resident?.chatId) return tr(ctx, 'thread.error_resident_unreachable', { number });
  return null;
}
