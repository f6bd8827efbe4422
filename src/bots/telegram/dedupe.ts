/**
 * Telegram delivers an update again when it did not get a 200 in time; long polling after a
 * crash can fetch one twice. Each update_id is handled once (src/core/inbound/handle-once.ts):
 * its receipt is stored when the update's work is done, with the report it files where it files
 * one, so a process killed half-way leaves no receipt and the redelivery is handled.
 */
import type { Core } from '../../core/context.js';
import { inboundGate, type InboundReceipt } from '../../core/inbound/handle-once.js';
import type { BotContext, BotLog } from './context.js';

/** The receipt of the update being handled, for the features that store it with their work. */
const receipts = new WeakMap<object, InboundReceipt>();

/** The receipt key of an update. */
export function updateKey(updateId: number): string {
  return `telegram:${updateId}`;
}

/** The update's receipt (undefined outside the dedupe middleware). */
export function receiptOf(ctx: BotContext): InboundReceipt | undefined {
  return receipts.get(ctx.update);
}

export function dedupeUpdates(core: Core, log: BotLog) {
  const gate = inboundGate(core);
  return async (ctx: BotContext, next: () => Promise<void>) => {
    const outcome = await gate.handle(updateKey(ctx.update.update_id), async (receipt) => {
      receipts.set(ctx.update, receipt);
      await next();
    });
    if (outcome === 'replay') log.info({ update_id: ctx.update.update_id }, 'telegram update already handled');
  };
}
