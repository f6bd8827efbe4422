/**
 * What is not a feature still gets an answer, never a crash: stickers, voice, files and other
 * message kinds get a polite word; an edited message is not a new report (while a ticket is open,
 * intake.ts adds edits, voice and the rest to it before they get here); a tap on a button
 * the bot no longer knows is answered so that the phone stops spinning. Group chats are
 * refused at the door (see privateOnly): the bot serves one resident at a time.
 */
import { Composer } from 'grammy';
import type { BotContext, BotDeps } from '../context.js';

export function robustnessFeature({ core }: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const hotline = core.org.config.company.hotline;

  c.on('message:sticker', (ctx) => ctx.reply(ctx.t('robust.sticker')));
  c.on(['message:voice', 'message:audio', 'message:video_note'], (ctx) => ctx.reply(ctx.t('robust.voice', { hotline })));
  c.on('message', (ctx) => ctx.reply(ctx.t('robust.unsupported')));
  c.on('edited_message', (ctx) =>
    ctx.reply(ctx.t('robust.edited'), { reply_parameters: { message_id: ctx.editedMessage.message_id, allow_sending_without_reply: true } }),
  );
  c.on('callback_query', (ctx) => ctx.answerCallbackQuery({ text: ctx.t('robust.expired_button') }));
  // Anything else (reactions, membership changes, polls, unknown future kinds) is left alone.
  return c;
}

/**
 * The bot works in private chats only: in a group a command gets one line saying so, anything
 * else is ignored (the group's talk is none of its business). Updates without a person behind
 * them (channel posts, polls) stop here as well.
 */
export function privateOnly() {
  return async (ctx: BotContext, next: () => Promise<void>) => {
    const chat = ctx.chat;
    // a tap that comes without its message's chat (inline mode, which the bot does not use): nobody to serve
    if (!chat && ctx.callbackQuery) return void (await ctx.answerCallbackQuery({ text: ctx.t('robust.expired_button') }));
    if (chat && chat.type !== 'private') {
      const text = ctx.message?.text ?? '';
      if (text.startsWith('/'))
        await ctx.reply(ctx.t('robust.private_only'), { reply_parameters: { message_id: ctx.message!.message_id, allow_sending_without_reply: true } });
      else if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('robust.private_only') });
      return;
    }
    if (!ctx.from || ctx.from.is_bot) return;
    await next();
  };
}
