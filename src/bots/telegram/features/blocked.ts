/**
 * Telegram tells the bot when a resident blocks it (a my_chat_member update: kicked) and when
 * they unblock it (member). Blocked, they are marked unreachable at once, before anything owed to
 * them is refused: the outbox skips their chat and their callback goes to the centre by phone.
 * Unblocking needs nothing here: like any update of theirs, it has met them (residentMiddleware),
 * which makes them reachable again.
 */
import { Composer } from 'grammy';
import type { BotContext, BotDeps } from '../context.js';

export function blockedFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.on('my_chat_member', async (ctx) => {
    if (ctx.chat.type !== 'private' || ctx.myChatMember.new_chat_member.status !== 'kicked') return;
    await deps.core.stores.residents.markUnreachable(String(ctx.chat.id), deps.core.clock.now());
    deps.log.info({ residentId: ctx.resident?.id }, 'telegram: the resident blocked the bot');
  });
  return c;
}
