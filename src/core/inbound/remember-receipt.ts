/**
 * A receipt taken at once, before any work: only where nothing is lost if the work then fails
 * (a button acted on outside an update's gate). An update, event or interaction goes through
 * handle-once.ts instead, which stores its receipt with its work, so a crash half-way does not
 * turn the platform's redelivery into a replay.
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
