/**
 * The menu keyboard goes with the first thing the bot says to anyone. A resident who never sent
 * /start (they found the bot through a link, or typed straight away) would otherwise never see
 * the buttons under the input field. Installed per update on ctx.api (grammY builds a fresh Api
 * for every update), it attaches mainMenu to the first message to the resident's own chat that
 * carries no keyboard of its own, once; a message that brings the menu itself counts as shown.
 */
import type { Transformer } from 'grammy';
import { markMenuShown } from '../../core/residents/mark-menu-shown.js';
import type { Core } from '../../core/context.js';
import type { BotContext } from './context.js';
import { mainMenu } from './replies.js';

export function menuFirst(core: Core) {
  return async (ctx: BotContext, next: () => Promise<void>) => {
    if (ctx.resident && !ctx.resident.menuShownAt && ctx.chat?.type === 'private') ctx.api.config.use(attachMenuOnce(core, ctx));
    await next();
  };
}

function attachMenuOnce(core: Core, ctx: BotContext): Transformer {
  let shown = false;
  return async (prev, method, payload, signal) => {
    const p = payload as { chat_id?: number | string; reply_markup?: { keyboard?: unknown } };
    if (shown || method !== 'sendMessage' || String(p.chat_id) !== String(ctx.chat!.id)) return prev(method, payload, signal);
    // an inline keyboard or a question (ForceReply) takes the place: the menu waits for the next message
    if (p.reply_markup && !p.reply_markup.keyboard) return prev(method, payload, signal);
    const sent = p.reply_markup ? payload : { ...payload, reply_markup: mainMenu(ctx.locale, ctx.resident.customerId !== null) };
    const res = await prev(method, sent as typeof payload, signal);
    if (res.ok) {
      shown = true;
      await markMenuShown(core, ctx.resident.id);
    }
    return res;
  };
}
