/**
 * Suggestions (R17-R19) are stored as tickets of their own kind and acknowledged; questions are
 * answered from the FAQ (R20, R22) when it knows, and otherwise become a consultation ticket for
 * the customer-service centre, as does a question whose FAQ answer did not help.
 */
import { Composer } from 'grammy';
import type { Message } from 'grammy/types';
import { Buttons, cb } from '../callback-data.js';
import type { BotContext, BotDeps } from '../context.js';
import { FAQ_IDS, faqAnswer, faqKey, matchFaq, type FaqId } from '../faq.js';
import { residentBranch } from './prices.js';
import { answers, answerText } from '../prompt-filter.js';
import { askFor, dropButtons, firstAction, labels, replyLong } from '../replies.js';
import { when } from '../render.js';
import { fileOrAskAddress } from './filing.js';

const stripCommand = (text: string) => text.replace(/^\/\w+(@\w+)?\s*/, '').trim();

export function suggestAskFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { core } = deps;

  async function suggest(ctx: BotContext, text: string) {
    const ticket = await fileOrAskAddress(ctx, deps, { kind: 'suggestion', category: 'other', description: text, quiet: true });
    if (ticket) await ctx.reply(ctx.t('suggest.thanks', { number: ticket.number }));
  }

  async function forward(ctx: BotContext, question: string, replyTo?: number) {
    const ticket = await fileOrAskAddress(ctx, deps, { kind: 'consultation', category: 'other', description: question, replyTo, quiet: true });
    if (!ticket) return;
    const due = ticket.resolveDueAt ? when(ticket.resolveDueAt, core.clock.now()) : null;
    await ctx.reply(due ? ctx.t('ask.forwarded', { number: ticket.number, time: due }) : ctx.t('ask.forwarded_no_due', { number: ticket.number }));
  }

  async function answer(ctx: BotContext, question: string, messageId: number) {
    const id = matchFaq(question);
    if (!id) return forward(ctx, question, messageId);
    await replyLong(ctx, faqAnswer(core.org, id, ctx.locale, residentBranch(core, ctx)), {
      reply_to: messageId,
      reply_markup: new Buttons().button(ctx.t('ask.more'), cb.askCentre),
    });
  }

  async function topics(ctx: BotContext) {
    const k = new Buttons();
    FAQ_IDS.forEach((id, i) => {
      k.button(ctx.t(faqKey(id, 'title')), cb.faq(id));
      if (i % 2 === 1) k.row();
    });
    await ctx.reply(ctx.t('ask.topics'), { reply_markup: k });
    await askFor(ctx, 'ask', {}, 'ask.placeholder');
  }

  c.command('suggest', async (ctx) => {
    const text = ctx.match.trim();
    if (text) return suggest(ctx, text);
    await askFor(ctx, 'suggest', {}, 'suggest.placeholder');
  });
  c.hears(labels('menu.suggest'), (ctx) => askFor(ctx, 'suggest', {}, 'suggest.placeholder'));
  c.filter(answers('suggest'), async (ctx) => {
    const text = answerText(ctx).trim();
    if (!text) return void (await askFor(ctx, 'suggest', {}, 'suggest.placeholder'));
    await suggest(ctx, text);
  });

  c.command('ask', async (ctx) => {
    const q = ctx.match.trim();
    if (q) return answer(ctx, q, ctx.msg.message_id);
    await topics(ctx);
  });
  c.hears(labels('menu.ask'), topics);
  c.filter(answers('ask'), async (ctx) => {
    const q = answerText(ctx).trim();
    if (!q) return void (await askFor(ctx, 'ask', {}, 'ask.placeholder'));
    await answer(ctx, q, ctx.msg!.message_id);
  });

  c.callbackQuery(/^fq:(\w+)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const id = ctx.match[1] as FaqId;
    if (!FAQ_IDS.includes(id)) return;
    await replyLong(ctx, faqAnswer(core.org, id, ctx.locale, residentBranch(core, ctx)));
  });

  // "Still need help": the question this answer replies to goes to the centre.
  c.callbackQuery(cb.askCentre, async (ctx) => {
    const answerMsg = ctx.callbackQuery.message as Message | undefined;
    const source = answerMsg?.reply_to_message;
    const question = stripCommand(source?.text ?? source?.caption ?? '');
    if (!question) return void (await ctx.answerCallbackQuery({ text: ctx.t('report.draft_gone'), show_alert: true }));
    if (!(await firstAction(core, ctx, 'ask', answerMsg!.message_id))) return void (await ctx.answerCallbackQuery({ text: ctx.t('report.already_filed') }));
    await ctx.answerCallbackQuery();
    await dropButtons(ctx);
    await forward(ctx, question, source!.message_id);
  });

  return c;
}
