/**
 * Inbound idempotency: a Telegram update_id, a Slack event_id or interaction id is handled once.
 * The receipt is a row in the database (not memory), so a replay after a restart, or to another
 * instance, is recognised too.
 */
import type { Core } from '../context.js';

/** True the first time `key` is seen; false for a replay. */
export function firstReceipt(core: Pick<Core, 'stores' | 'clock'>, key: string): Promise<boolean> {
  return core.stores.receipts.first(key, core.clock.now());
}

/** Forget a receipt whose handling failed before anything was stored, so a retry is handled. */
export function forgetReceipt(core: Pick<Core, 'stores'>, key: string): Promise<void> {
  return core.stores.receipts.forget(key);
}
