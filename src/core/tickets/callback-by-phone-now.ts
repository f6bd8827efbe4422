/**
 * A resident the bot cannot ask (Telegram refuses their chat: they blocked the bot) is not waited
 * for: the bot's time-out of their callback falls due now, so the next sweep (at most half a
 * minute) hands the callback to the centre by phone (R8h) instead of a day later.
 */
import type { Core } from '../context.js';
import { callbackAlertKeys } from './start-callback.js';

export function callbackByPhoneNow(core: Pick<Core, 'stores' | 'clock'>, callbackId: number): Promise<boolean> {
  return core.stores.alerts.bringForward(callbackAlertKeys(callbackId).botTimeout, core.clock.now());
}
