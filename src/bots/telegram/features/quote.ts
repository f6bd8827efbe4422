/**
 * A resident's answer to a quote (R16) under its message: [accept] [decline]. The tap is
 * answered first (a short notice), then the quote's message becomes its receipt: accepted and
 * scheduled as paid work with the paid ticket's number (R9), declined, or expired (ask again).
 * A tap on a quote answered already, replaced by a newer one, or not theirs changes nothing.
 */
import { Composer } from 'grammy';
import type { Message } from 'grammy/types';
import { isAppError } from '../../../core/errors.js';
import { answerQuote, type QuoteAnswerOutcome } from '../../../core/quotes/answer-quote.js';
import { formatMinute } from '../../../core/local-time.js';
import type { BotContext, BotDeps } from '../context.js';
import { dropButtons } from '../replies.js';

export function quoteFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { core } = deps;

  c.callbackQuery(/^qa:(\d+):([yn])$/, async (ctx) => {
    const message = ctx.callbackQuery.message as Message | undefined;
    const shown = message && 'text' in message ? message.text : '';
    const hotline = core.org.config.company.hotline;
    const receipt = async (note: string) => {
      // the message says so already (the sweep edited it, R16): only the buttons go
      if (shown?.includes(note)) return dropButtons(ctx).catch(() => undefined);
      try {
        await ctx.editMessageText(shown ? `${shown}\n\n${note}` : note);
      } catch {
        await dropButtons(ctx).catch(() => undefined);
      }
    };
    let out: QuoteAnswerOutcome;
    try {
      out = await answerQuote(core, { quote: Number(ctx.match[1]), accept: ctx.match[2] === 'y', actor: `resident:${ctx.resident.id}` });
    } catch (e) {
      if (isAppError(e, 'quote_expired')) {
        await ctx.answerCallbackQuery({ text: ctx.t('quote.expired_toast') });
        const number = String(e.context.number ?? '');
        const time = formatMinute(new Date(String(e.context.validUntil)));
        await receipt(ctx.t('quote.expired', { quote: number, time, hotline }));
        deps.kick?.();
        return;
      }
      // one polite answer for a button that does nothing: answered, replaced, not theirs, or an id that names nothing
      if (isAppError(e, 'quote_already_answered') || isAppError(e, 'quote_not_found') || isAppError(e, 'not_your_ticket')) {
        await ctx.answerCallbackQuery({ text: ctx.t('quote.inactive') });
        await dropButtons(ctx).catch(() => undefined);
        return;
      }
      throw e;
    }
    deps.kick?.();
    if (out.quote.status === 'accepted') {
      await ctx.answerCallbackQuery({ text: ctx.t('quote.accepted_toast') });
      await receipt(ctx.t('quote.accepted', { quote: out.quote.number, paid: out.paid?.number ?? '' }));
      return;
    }
    await ctx.answerCallbackQuery({ text: ctx.t('quote.refused_toast') });
    await receipt(ctx.t('quote.refused', { quote: out.quote.number, hotline }));
  });

  return c;
}
