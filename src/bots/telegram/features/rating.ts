/**
 * The satisfaction callback by bot (R8h, R28): three buttons carry the callback id and the
 * answer. The core records one answer per callback (a double tap counts once) and only from the
 * resident whose ticket it is; satisfied or fairly satisfied closes the ticket, not satisfied
 * reopens it to the branch (R30) and the resident may say what is still wrong.
 */
import { Composer } from 'grammy';
import { addResidentComment } from '../../../core/residents/add-resident-comment.js';
import { recordCallback } from '../../../core/tickets/record-callback.js';
import { askRating } from '../../../core/tickets/ask-rating.js';
import { AppError, isAppError } from '../../../core/errors.js';
import { parseRating } from '../callback-data.js';
import type { BotContext, BotDeps } from '../context.js';
import { answers, answerText } from '../prompt-filter.js';
import { askFor, dropButtons } from '../replies.js';
import { branchName } from '../render.js';
import { serviceCardLine } from '../service-card.js';

export function ratingFeature({ core, kick }: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();

  c.callbackQuery(/^cb:(\d+):([sfd])$/, async (ctx) => {
    const satisfaction = parseRating(ctx.match[2])!;
    let outcome: Awaited<ReturnType<typeof recordCallback>>;
    try {
      outcome = await recordCallback(core, { callbackId: Number(ctx.match[1]), actor: `resident:${ctx.resident.id}`, reached: true, satisfaction });
    } catch (e) {
      // One polite answer for a button that does nothing: already answered, someone else's, or an id
      // that was never a callback. Telling these apart would let anyone probe which callback ids
      // exist. The message stays as it is for its owner.
      if (!isAppError(e, 'already_answered') && !isAppError(e, 'not_your_ticket') && !isAppError(e, 'not_found')) throw e;
      return void (await ctx.answerCallbackQuery({ text: ctx.t('rating.inactive') }));
    }
    const { ticket } = outcome;
    await ctx.answerCallbackQuery({ text: ctx.t('rating.thanks') });
    const answer = ctx.t(`rating.button.${satisfaction}`);
    const question = ctx.callbackQuery.message && 'text' in ctx.callbackQuery.message ? ctx.callbackQuery.message.text : '';
    const note =
      outcome.outcome === 'reopened'
        ? ctx.t('rating.recorded_reopened', { answer, number: ticket.number, branch: branchName(core.org, ticket.branchId, ctx.locale) })
        : // R22: the close carries the service card
          `${ctx.t('rating.recorded_closed', { answer, number: ticket.number })}\n${serviceCardLine(core.org, ctx.locale)}`;
    try {
      await ctx.editMessageText(question ? `${question}\n\n${note}` : note);
    } catch {
      await dropButtons(ctx).catch(() => undefined);
      await ctx.reply(note);
    }
    if (outcome.outcome === 'reopened') await askFor(ctx, 'comment', { number: ticket.number }, 'rating.comment_placeholder');
  });

  // A while after a heating repair (start-callback.ts residentAsk): warm now → the rating
  // buttons; still cold → the callback's answer is "not satisfied, heating still not warm", which
  // reopens the ticket to the branch (R30), and the resident is asked what is still wrong.
  c.callbackQuery(/^wc:(\d+):([hc])$/, async (ctx) => {
    const callbackId = Number(ctx.match[1]);
    const hot = ctx.match[2] === 'h';
    const question = ctx.callbackQuery.message && 'text' in ctx.callbackQuery.message ? ctx.callbackQuery.message.text : '';
    const mark = async (note: string) => {
      try {
        await ctx.editMessageText(question ? `${question}\n\n${note}` : note);
      } catch {
        await dropButtons(ctx).catch(() => undefined);
      }
    };
    if (hot) {
      try {
        // the rating question comes through the outbox: a refused reply or a restart cannot lose it
        await askRating(core, { callbackId, residentId: ctx.resident.id, chatId: String(ctx.chat!.id) });
      } catch (e) {
        if (!isAppError(e, 'already_answered') && !isAppError(e, 'not_your_ticket')) throw e;
        return void (await ctx.answerCallbackQuery({ text: ctx.t('loop.warm.inactive') }));
      }
      kick?.();
      await ctx.answerCallbackQuery({ text: ctx.t('loop.warm.hot_noted') });
      await mark(`${ctx.t('loop.warm.hot')} ${ctx.t('loop.warm.hot_noted')}`);
      return;
    }
    let outcome: Awaited<ReturnType<typeof recordCallback>>;
    try {
      outcome = await recordCallback(core, {
        callbackId,
        actor: `resident:${ctx.resident.id}`,
        reached: true,
        satisfaction: 'dissatisfied',
        comment: ctx.t('loop.warm.cold_reason'),
      });
    } catch (e) {
      if (!isAppError(e, 'already_answered') && !isAppError(e, 'not_your_ticket') && !isAppError(e, 'not_found')) throw e;
      return void (await ctx.answerCallbackQuery({ text: ctx.t('loop.warm.inactive') }));
    }
    const { ticket } = outcome;
    await ctx.answerCallbackQuery({ text: ctx.t('rating.thanks') });
    await mark(ctx.t('loop.warm.cold_noted', { number: ticket.number, branch: branchName(core.org, ticket.branchId, ctx.locale) }));
    await askFor(ctx, 'comment', { number: ticket.number }, 'rating.comment_placeholder');
  });

  c.filter(answers('comment'), async (ctx) => {
    const text = answerText(ctx).trim();
    if (!text) return;
    const number = ctx.prompt.vars.number.trim();
    await addResidentComment(core, { residentId: ctx.resident.id, number, text });
    const ticket = await core.stores.views.ticketByNumber(number);
    if (!ticket) throw new AppError('ticket_not_found', `no ticket ${number}`, { number });
    await ctx.reply(ctx.t('rating.comment_saved', { branch: branchName(core.org, ticket.branchId, ctx.locale) }));
  });

  return c;
}
