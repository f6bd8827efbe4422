/**
 * Telegram delivers an update again when it did not get a 200 in time; long polling after a
 * crash can fetch one twice. Each update_id is handled once, remembered in the database so the
 * rule holds across restarts and instances.
 */
import type { Core } from '../../core/context.js';
import { firstReceipt } from '../../core/inbound/remember-receipt.js';
import type { BotContext, BotLog } from './context.js';

export function dedupeUpdates(core: Core, log: BotLog) {
  return async (ctx: BotContext, next: () => Promise<void>) => {
    if (!(await firstReceipt(core, `telegram:${ctx.update.update_id}`))) {
      log.info({ update_id: ctx.update.update_id }, 'telegram update already handled');
      return;
    }
    await next();
  };
}
