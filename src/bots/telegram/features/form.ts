/**
 * The service form (R8f): with the "resolved" message the resident sees the work
 * written on the form and can confirm it, and write an opinion, both stored on the form.
 */
import { Composer } from 'grammy';
import { confirmServiceForm } from '../../../core/residents/confirm-service-form.js';
import { isAppError } from '../../../core/errors.js';
import type { BotContext, BotDeps } from '../context.js';
import { answers, answerText } from '../prompt-filter.js';
import { askFor } from '../replies.js';

export function formFeature({ core }: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();

  c.callbackQuery(/^fo:([A-Z]\d{8}-\d+)$/, async (ctx) => {
    try {
      await confirmServiceForm(core, { residentId: ctx.resident.id, number: ctx.match[1] });
    } catch (e) {
      if (!isAppError(e, 'already_answered')) throw e;
      return void (await ctx.answerCallbackQuery({ text: ctx.t('form.already') }));
    }
    await ctx.answerCallbackQuery({ text: ctx.t('form.confirmed') });
    await ctx.reply(ctx.t('form.confirmed'));
  });

  c.callbackQuery(/^fp:([A-Z]\d{8}-\d+)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await askFor(ctx, 'opinion', { number: ctx.match[1] }, 'form.opinion_placeholder');
  });

  c.filter(answers('opinion'), async (ctx) => {
    const opinion = answerText(ctx).trim();
    if (!opinion) return;
    await confirmServiceForm(core, { residentId: ctx.resident.id, number: ctx.prompt.vars.number.trim(), opinion });
    await ctx.reply(ctx.t('form.opinion_saved'));
  });

  return c;
}
