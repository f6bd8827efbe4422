/**
 * Delivers the outbox's Telegram messages (see core/outbox/enqueue.ts): the confirmation of a
 * report (ticket_filed), a step of a resident's ticket (resident_update) and the satisfaction
 * question after a resolve (callback_question), and what linking a heating account owes the
 * account's other residents and the one who asked (bind-deliveries.ts).
 * Both are worded at delivery time from the ticket's current state, in the resident's language.
 * Telegram's refusals become DeliveryErrors the worker understands: 429 waits retry_after, a
 * blocked bot or a chat that is gone is permanent, network trouble and 5xx are retried. A 403
 * marks the chat's resident unreachable: what is still owed to the chat is skipped, not tried.
 * A step of a resident's ticket answers their own report message (the created event's replyTo).
 */
import { Api, GrammyError, HttpError } from 'grammy';
import type { InlineKeyboardMarkup, ReplyKeyboardMarkup } from 'grammy/types';
import type { Core } from '../../core/context.js';
import { DeliveryError, type Deliverer, type DeliveryResult } from '../../delivery/types.js';
import { asLocale, LOCALES, type Locale } from '../../i18n/index.js';
import type { Callback, OutboxMessage } from '../../core/model.js';
import { Buttons, cb } from './callback-data.js';
import { BIND_KINDS, renderBindMessage } from './bind-deliveries.js';
import { tt } from './context.js';
import { branchName, dueLines, filedReply, staffWithBadge, when, yuan } from './render.js';
import { mayBeAssignee } from '../../core/tickets/acknowledge-escalation.js';
import type { Org } from '../../core/org/org.js';
import type { ServiceForm, Ticket } from '../../core/model.js';
import { monospaceTicketNumbers } from './monospace.js';
import { splitText } from './split-text.js';
import { callbackByPhoneNow } from '../../core/tickets/callback-by-phone-now.js';
import { renderStaffReply } from './staff-reply.js';
import { reportMessageId } from '../../core/tickets/create-ticket.js';
import { renderSuggestionAnswer } from './suggestion-answer.js';
import { serviceCardLine } from './service-card.js';
import { conductUpdate, isCentreConduct } from './conduct.js';
import { deliverQuoteExpired, renderQuoteOffer, type QuoteExpiredPayload, type QuoteOfferPayload } from './quote-deliveries.js';
import { renderIncidentNotice, renderIncidentReply, renderLinkedFiled, type IncidentNoticePayload, type IncidentReplyPayload } from './incident-deliveries.js';

export interface TelegramDelivererOptions {
  core: Core;
  token: string;
  /** TELEGRAM_API_ROOT, as for the bot */
  apiRoot?: string;
}

interface Rendered {
  text: string;
  /** buttons under the message, or the chat's menu (a resident just bound gets the bound menu) */
  reply_markup?: InlineKeyboardMarkup | ReplyKeyboardMarkup;
  /** the message it answers */
  replyTo?: number;
}

const UPDATE_EVENTS = new Set(['accepted', 'arrived', 'resolved', 'transferred', 'reopened', 'closed', 'cancelled', 'duplicate']);

export class TelegramDeliverer implements Deliverer {
  /** Its own client, without the bot's retry-in-place: the outbox worker backs off instead. */
  private readonly api: Api;

  constructor(private readonly o: TelegramDelivererOptions) {
    this.api = new Api(o.token, o.apiRoot ? { apiRoot: o.apiRoot.replace(/\/$/, '') } : {});
    this.api.config.use(monospaceTicketNumbers());
  }

  async deliver(row: OutboxMessage): Promise<DeliveryResult | undefined> {
    // A resident who blocked the bot: every row owed to the chat would be refused the same way,
    // so none is tried (no storm of 403s) until they write again (ResidentStore.meet clears it).
    if (await this.o.core.stores.residents.unreachableSince(row.target)) {
      await this.callbackByPhone(row);
      return { result: { skipped: 'unreachable' } };
    }
    if (row.kind === 'quote_expired') return this.quoteExpired(row);
    const payload = JSON.parse(row.payload) as { ticketId: number; eventId?: number; callbackId?: number; replyTo?: number; locale?: string };
    const rendered =
      row.kind === 'ticket_filed'
        ? await this.filed(payload)
        : row.kind === 'resident_update'
          ? await this.residentUpdate(payload)
          : row.kind === 'callback_question'
            ? await this.withReportMessage(payload.ticketId, await this.callbackQuestion(payload))
            : row.kind === 'warm_check'
              ? await this.withReportMessage(payload.ticketId, await this.warmCheck(payload))
              : row.kind === 'resident_late'
                ? await this.withReportMessage(payload.ticketId, await this.late(payload))
                : row.kind === 'staff_reply'
                  ? await renderStaffReply(this.o.core, payload)
                  : BIND_KINDS.has(row.kind)
                    ? await renderBindMessage(this.o.core, row.kind, JSON.parse(row.payload))
                    : row.kind === 'incident_notice'
                      ? await renderIncidentNotice(this.o.core, JSON.parse(row.payload) as IncidentNoticePayload)
                      : row.kind === 'incident_reply'
                        ? await renderIncidentReply(this.o.core, JSON.parse(row.payload) as IncidentReplyPayload)
                        : row.kind === 'suggestion_answer'
                          ? await renderSuggestionAnswer(this.o.core, payload)
                          : row.kind === 'quote_offer'
                            ? await renderQuoteOffer(this.o.core, JSON.parse(row.payload) as QuoteOfferPayload)
                            : undefined;
    if (rendered === undefined) throw new DeliveryError(`telegram cannot deliver ${row.kind}`, { permanent: true });
    if (rendered === null) return { result: { skipped: true } };
    const parts = splitText(rendered.text);
    let messageId: number | undefined;
    for (let i = 0; i < parts.length; i++) {
      const last = i === parts.length - 1;
      const sent = await this.send(row, parts[i], last ? rendered.reply_markup : undefined, i === 0 ? rendered.replyTo : undefined);
      messageId = sent.message_id;
    }
    return { result: { messageId } };
  }

  private async send(row: OutboxMessage, text: string, reply_markup?: Rendered['reply_markup'], replyTo?: number) {
    try {
      return await this.api.sendMessage(row.target, text, {
        ...(reply_markup ? { reply_markup } : {}),
        // under the resident's own message; still sent if they deleted it meanwhile
        ...(replyTo ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
      });
    } catch (e) {
      if (e instanceof GrammyError && e.error_code === 403) await this.unreachable(row);
      throw toDeliveryError(e);
    }
  }

  /** R16: the quote's message says it expired, without its buttons (edited, or the notice under it). */
  private async quoteExpired(row: OutboxMessage): Promise<DeliveryResult> {
    let out: Awaited<ReturnType<typeof deliverQuoteExpired>>;
    try {
      out = await deliverQuoteExpired(this.o.core, this.api, row.target, JSON.parse(row.payload) as QuoteExpiredPayload);
    } catch (e) {
      if (e instanceof GrammyError && e.error_code === 403) await this.unreachable(row);
      throw toDeliveryError(e);
    }
    if (out === null) return { result: { skipped: true } };
    if ('edited' in out) return { result: { messageId: out.edited, edited: true } };
    const sent = await this.send(row, out.text, undefined, out.replyTo);
    return { result: { messageId: sent.message_id } };
  }

  /**
   * Telegram refused the chat for good: its resident is marked, and later rows to it are
   * skipped; a callback this row asked about goes to the centre by phone.
   */
  private async unreachable(row: OutboxMessage): Promise<void> {
    const { core } = this.o;
    try {
      await core.stores.residents.markUnreachable(row.target, core.clock.now());
      await this.callbackByPhone(row);
    } catch {
      // the row is dead either way (a permanent refusal); the mark is tried again by the next row's 403
    }
  }

  /** A question about a callback (warm check, rating) the resident cannot get: the centre calls instead, now. */
  private async callbackByPhone(row: OutboxMessage): Promise<void> {
    if (row.kind === 'incident_notice') return this.restoreCheckByPhone(JSON.parse(row.payload) as IncidentNoticePayload);
    if (row.kind !== 'warm_check' && row.kind !== 'callback_question') return;
    const { callbackId } = JSON.parse(row.payload) as { callbackId?: number };
    if (callbackId) await callbackByPhoneNow(this.o.core, callbackId);
  }

  /** The heat-back notice asks a linked report's callback (its buttons): a resident it cannot reach is called instead, now. */
  private async restoreCheckByPhone(p: IncidentNoticePayload): Promise<void> {
    if (p.phase !== 'restored' || !p.ticketId) return;
    const view = await this.o.core.stores.views.ticketView({ id: p.ticketId });
    const pending = view?.callbacks.find((c) => c.status === 'pending');
    if (pending) await callbackByPhoneNow(this.o.core, pending.id);
  }

  /**
   * A step of the resident's ticket answers their own report message (the created event keeps
   * its id), so that it sits under what they wrote among their other conversations.
   */
  private async withReportMessage(ticketId: number, rendered: Rendered | null): Promise<Rendered | null> {
    if (!rendered || rendered.replyTo) return rendered;
    const [created] = await this.o.core.stores.tickets.events(ticketId, 'created');
    const replyTo = reportMessageId(created?.data ?? null);
    return replyTo ? { ...rendered, replyTo } : rendered;
  }

  /** Messages to a chat are about the tickets of the resident behind it (notify-plan.ts). */
  private async locale(residentId: number | null): Promise<Locale> {
    const r = residentId ? await this.o.core.stores.residents.byId(residentId) : null;
    return asLocale(r?.locale);
  }

  /** R3: the report is stored: its number, what happens next, in the language the resident used. */
  private async filed(p: { ticketId: number; replyTo?: number; locale?: string }): Promise<Rendered | null> {
    const { core } = this.o;
    const ticket = await core.stores.views.ticketById(p.ticketId);
    if (!ticket) return null;
    const locale = p.locale ? asLocale(p.locale) : await this.locale(ticket.residentId);
    // a report linked to an incident meanwhile: what is known about the repair (incident-deliveries.ts)
    const linked = await renderLinkedFiled(core, ticket, locale, p.replyTo);
    if (linked) return linked;
    return { text: filedReply(core.org, ticket, locale, core.clock.now()), replyTo: p.replyTo };
  }

  /** null: nothing to say (the resident caused the step and was answered in the chat already). */
  private async residentUpdate(p: { ticketId: number; eventId?: number }): Promise<Rendered | null> {
    const { core } = this.o;
    const [view, event] = await Promise.all([core.stores.views.ticketView({ id: p.ticketId }), p.eventId ? core.stores.views.eventById(p.eventId) : null]);
    if (!view || !event || !UPDATE_EVENTS.has(event.type)) return null;
    const { ticket, form } = view;
    const replyTo = reportMessageId(view.events.find((e) => e.type === 'created')?.data ?? null);
    if (event.actor === `resident:${ticket.residentId}`) return null;
    // a suggestion's resolve is its answer (R17-R19): worded as one, whoever gave it
    if (ticket.kind === 'suggestion' && event.type === 'resolved') return renderSuggestionAnswer(core, { ticketId: ticket.id, eventId: event.id });
    const locale = await this.locale(ticket.residentId);
    const now = core.clock.now();
    const data = event.data ? (JSON.parse(event.data) as Record<string, string>) : {};
    const vars = {
      number: ticket.number,
      time: when(event.at, now),
      branch: branchName(core.org, data.branchId ?? ticket.branchId, locale),
      note: event.note ?? data.result ?? '',
    };
    // R31-R33: a complaint about staff is told received and handled, never the finding (conduct.ts)
    if (isCentreConduct(ticket)) {
      const said = conductUpdate(core.org, event.type, vars, locale);
      return said === null ? null : { text: said, replyTo };
    }
    const lines = [tt(locale, `update.${event.type}`, vars)];
    if (event.type === 'accepted') lines.push(...whoIsComing(core.org, ticket, locale, now));
    if (event.type === 'transferred' || event.type === 'reopened') lines.push(...dueLines(ticket, locale, now));
    let reply_markup: InlineKeyboardMarkup | undefined;
    if (event.type === 'resolved' && form) {
      const f = form;
      lines.push(...formLines(f, ticket.kind, locale));
      if (!f.customerConfirmed) {
        reply_markup = new Buttons()
          .button(tt(locale, 'form.confirm'), cb.formOk(ticket.number))
          .button(tt(locale, 'form.opinion'), cb.formOpinion(ticket.number));
      }
    }
    // R22: what finishes a ticket for the resident carries the service card (hotline, services)
    if (event.type === 'resolved' || event.type === 'closed') lines.push(serviceCardLine(core.org, locale));
    return { text: lines.join('\n'), reply_markup, replyTo };
  }

  /** A deadline missed: sorry, the branch was urged (R2, urging); null once the ticket was resolved or withdrawn meanwhile. */
  private async late(p: { ticketId: number }): Promise<Rendered | null> {
    const { core } = this.o;
    const ticket = await core.stores.views.ticketById(p.ticketId);
    if (!ticket || ticket.resolvedAt || ticket.cancelledAt || ['closed', 'cancelled', 'duplicate'].includes(ticket.status)) return null;
    const locale = await this.locale(ticket.residentId);
    return { text: tt(locale, 'loop.late', { number: ticket.number, branch: branchName(core.org, ticket.branchId, locale) }) };
  }

  /** A callback still waiting for the resident's answer, with its ticket and the resident's language; null once answered some other way. */
  private async pendingCallback(callbackId: number | undefined): Promise<{ callback: Callback; ticket: Ticket; locale: Locale } | null> {
    const { core } = this.o;
    const callback = callbackId ? await core.stores.views.callbackById(callbackId) : null;
    if (callback?.status !== 'pending') return null;
    const ticket = await core.stores.views.ticketById(callback.ticketId);
    if (!ticket) return null;
    return { callback, ticket, locale: await this.locale(ticket.residentId) };
  }

  /** "Are your radiators warm now?" a while after a heating repair; null once the callback was answered some other way. */
  private async warmCheck(p: { callbackId?: number }): Promise<Rendered | null> {
    const pending = await this.pendingCallback(p.callbackId);
    if (!pending) return null;
    const { callback, ticket, locale } = pending;
    const k = new Buttons().button(tt(locale, 'loop.warm.hot'), cb.warm(callback.id, true)).button(tt(locale, 'loop.warm.cold'), cb.warm(callback.id, false));
    return { text: tt(locale, 'loop.warm.question', { number: ticket.number }), reply_markup: k };
  }

  /** null: the callback was answered some other way (by phone) before this message went out. */
  private async callbackQuestion(p: { ticketId: number; callbackId?: number }): Promise<Rendered | null> {
    const pending = await this.pendingCallback(p.callbackId);
    if (!pending) return null;
    const { callback, ticket, locale } = pending;
    const k = new Buttons();
    for (const s of ['satisfied', 'fairly', 'dissatisfied'] as const) k.button(tt(locale, `rating.button.${s}`), cb.rate(callback.id, s));
    return { text: tt(locale, 'rating.question', { number: ticket.number }), reply_markup: k };
  }
}

/**
 * R6: who is coming, by name and badge number (the resident can ask to see the badge at the
 * door), and by when. Only a person of the ticket's branch who goes (not a centre agent who
 * accepted on the phone) is named.
 */
function whoIsComing(org: Org, ticket: Ticket, locale: Locale, now: Date): string[] {
  const assignee = ticket.assigneeId ? org.staff.get(ticket.assigneeId) : undefined;
  const lines: string[] = [];
  if (mayBeAssignee(assignee, ticket.branchId)) lines.push(tt(locale, 'loop.who_coming', { who: staffWithBadge(org, assignee.id, locale) }));
  return [...lines, ...dueLines(ticket, locale, now)];
}

/** What staff type for "nothing" on a form, in every language (locales loop.form.nothing): no line for it. */
const NOTHING = new Set(LOCALES.flatMap((l) => tt(l, 'loop.form.nothing').split('|')).map((w) => w.trim().toLowerCase()));

/**
 * The service form (R8f) as the resident reads it: a line only for what has a value. A fee of
 * nothing is said ("free of charge") only for paid work, where the resident expects a bill.
 */
export function formLines(f: Pick<ServiceForm, 'workDone' | 'materials' | 'feesCents' | 'effect' | 'afterSalesTerms'>, kind: string, locale: Locale): string[] {
  const has = (v: string | null | undefined): v is string => Boolean(v?.trim()) && !NOTHING.has(v!.trim().toLowerCase());
  const lines = [tt(locale, 'loop.form.title')];
  if (has(f.workDone)) lines.push(tt(locale, 'loop.form.work', { work: f.workDone.trim() }));
  if (has(f.materials)) lines.push(tt(locale, 'loop.form.materials', { materials: f.materials.trim() }));
  if (f.feesCents > 0) lines.push(tt(locale, 'loop.form.fee', { yuan: yuan(f.feesCents) }));
  else if (kind === 'paid_service') lines.push(tt(locale, 'loop.form.free'));
  if (has(f.effect)) lines.push(tt(locale, 'loop.form.effect', { effect: f.effect.trim() }));
  // R14/R15: the customer signs the after-sales terms, so their copy states them
  if (has(f.afterSalesTerms)) lines.push(tt(locale, 'aftersales.terms', { terms: f.afterSalesTerms.trim() }));
  lines.push(tt(locale, 'loop.form.ask'));
  return lines;
}

/** Telegram's answer → what the outbox worker should do next. */
export function toDeliveryError(e: unknown): DeliveryError {
  if (e instanceof GrammyError) {
    const msg = `${e.method}: ${e.error_code} ${e.description}`;
    if (e.error_code === 429) return new DeliveryError(msg, { retryAfterMs: (e.parameters.retry_after ?? 1) * 1000 });
    if (e.error_code === 403) return new DeliveryError(msg, { permanent: true });
    if (e.error_code === 400 && /chat not found|user is deactivated|PEER_ID_INVALID|BUTTON_DATA_INVALID|too long/i.test(e.description)) {
      return new DeliveryError(msg, { permanent: true });
    }
    return new DeliveryError(msg, e.error_code >= 500 ? {} : { permanent: e.error_code === 400 });
  }
  if (e instanceof HttpError) return new DeliveryError(`network: ${e.message}`);
  return new DeliveryError((e as Error)?.message ?? String(e));
}
