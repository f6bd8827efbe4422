/**
 * The card's Quote button (R16): staff of the ticket's branch or the centre (can-act's quote)
 * price secondary-network or in-building pipe work in a modal. The quote is made before Slack is
 * answered, so an absurd amount comes back onto its line and nothing is stored; otherwise the
 * person is told the quote's number and total, the card's thread gets its line and the resident
 * the quote, through the outbox. Under that answer two buttons record what a resident said on
 * the phone (accepted: scheduled as paid work, R9), for residents without the bot.
 */
import type { App } from '@slack/bolt';
import { isAppError } from '../../../core/errors.js';
import { answerQuote } from '../../../core/quotes/answer-quote.js';
import { formatMinute } from '../../../core/local-time.js';
import { createQuote } from '../../../core/quotes/create-quote.js';
import { canAct } from '../../../core/staff/can-act.js';
import { actorOf, errorText, refusalText, renderCtx, staffFor, tell, ticketWithEvents, type SlackDeps } from '../kit.js';
import { QUOTE_VIEW, quoteFieldError, quoteModal, readQuote } from '../modals/quote-modal.js';
import { origin } from '../modals/view-state.js';
import { actions, button, readValue, section } from '../render/blocks.js';
import { tr } from '../render/names.js';
import { yuanText } from '../render/quote-lines.js';
import { ACTION, currentState } from '../render/ticket-card.js';
import { whereClicked, type ActionArgs, type ViewArgs } from './types.js';

/** The buttons under a new quote's answer: the resident's phone answer (value: the quote's number, a = y / n). */
export const PHONE_ANSWER = 'quote.phone_answer';

const QUOTE_ERRORS = new Set(['quote_expired', 'quote_already_answered', 'quote_not_found']);

export function registerQuotes(app: App, d: SlackDeps): void {
  app.action(ACTION.quote, async (args) => {
    const a = args as unknown as ActionArgs;
    await a.ack();
    const v = readValue(a.action.value);
    if (!v?.n) return;
    const ctx = renderCtx(d);
    const where = whereClicked(a.body);
    const to = { user: a.body.user.id, channel: where.ch };
    const t = await ticketWithEvents(d, v.n);
    if (!t) return tell(a.client, d, to, tr(ctx, 'error.ticket_not_found'));
    const decision = canAct(d.core.org, staffFor(d, a.body.user.id), t, 'quote');
    if (!decision.allowed) return tell(a.client, d, to, refusalText(ctx, decision.reason));
    if (v.s !== undefined && v.s !== t.status) return tell(a.client, d, to, `${tr(ctx, 'error.stale')}\n${currentState(ctx, t)}`);
    const days = Math.round(d.core.org.config.quotes.validForMinutes / 1440);
    await a.client.views.open({ trigger_id: a.body.trigger_id!, view: quoteModal(ctx, t, where, days) });
  });

  app.view(QUOTE_VIEW, async (args) => {
    const a = args as unknown as ViewArgs;
    const ctx = renderCtx(d);
    const from = origin(a.view);
    if (!from.n) return a.ack();
    const read = readQuote(ctx, a.view);
    if (!read.ok) return a.ack({ response_action: 'errors', errors: read.errors });
    const to = { user: a.body.user.id, channel: from.ch };
    const staff = staffFor(d, a.body.user.id);
    // the rights again: the modal may have sat open a while
    const t = await ticketWithEvents(d, from.n);
    const decision = t ? canAct(d.core.org, staff, t, 'quote') : null;
    if (!t || !decision?.allowed) {
      const why = !t ? tr(ctx, 'error.ticket_not_found') : refusalText(ctx, decision && !decision.allowed ? decision.reason : 'not_staff');
      return a.ack({ response_action: 'errors', errors: { item1: why } });
    }
    let said: string;
    let quoteNumber: string;
    try {
      const q = await createQuote(d.core, { ticketNumber: t.number, actor: actorOf(staff!), items: read.value.items, note: read.value.note });
      // the quote goes to a resident the bot can reach (create-quote.ts); anyone else hears it by phone
      const resident = t.residentId === null ? null : await d.core.stores.residents.byId(t.residentId);
      const key = resident && !resident.unreachableAt ? 'quote.modal.done_sent' : 'quote.modal.done_phone';
      said = tr(ctx, key, { quote: q.number, total: yuanText(q.totalCents), until: formatMinute(q.validUntil) });
      quoteNumber = q.number;
    } catch (e) {
      const onField = isAppError(e) ? quoteFieldError(ctx, e, read.value) : null;
      if (onField) return a.ack({ response_action: 'errors', errors: onField });
      await a.ack();
      await tell(a.client, d, to, await errorText(d, e, from.n));
      return;
    }
    await a.ack();
    d.kick?.();
    const phone = (yes: boolean) => button(tr(ctx, yes ? 'quote.phone.accept' : 'quote.phone.refuse'), PHONE_ANSWER, { n: quoteNumber, a: yes ? 'y' : 'n' });
    await tell(a.client, d, to, said, [section(said), actions(`quote:${quoteNumber}`, [phone(true), phone(false)])]);
  });

  app.action(PHONE_ANSWER, async (args) => {
    const a = args as unknown as ActionArgs;
    await a.ack();
    const v = readValue(a.action.value);
    if (!v?.n || (v.a !== 'y' && v.a !== 'n')) return;
    const ctx = renderCtx(d);
    const to = { user: a.body.user.id, channel: whereClicked(a.body).ch };
    const staff = staffFor(d, a.body.user.id);
    if (!staff) return tell(a.client, d, to, refusalText(ctx, 'not_staff'));
    try {
      const out = await answerQuote(d.core, { quote: v.n, accept: v.a === 'y', actor: actorOf(staff) });
      d.kick?.();
      const key = out.paid ? 'quote.phone.accepted' : 'quote.phone.refused';
      await tell(a.client, d, to, tr(ctx, key, { quote: out.quote.number, paid: out.paid?.number ?? '' }));
    } catch (e) {
      if (isAppError(e) && QUOTE_ERRORS.has(e.code)) return tell(a.client, d, to, tr(ctx, `quote.error.${e.code}`, { quote: v.n }));
      await tell(a.client, d, to, await errorText(d, e));
    }
  });
}
