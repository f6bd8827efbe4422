import type { OutboxMessage } from '../core/model.js';

/** Delivers one outbox message on one platform (Telegram, Slack). Rendering happens here, at delivery. */
export interface Deliverer {
  deliver(msg: OutboxMessage): Promise<DeliveryResult | undefined>;
}

export interface DeliveryResult {
  /** stored on the row, e.g. the Slack message ts or Telegram message id */
  result?: Record<string, unknown>;
}

/**
 * A failed delivery. `retryAfterMs` obeys the platform's Retry-After / retry_after;
 * `permanent` (a chat that blocked the bot, a channel that does not exist) goes straight to dead.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly opts: { retryAfterMs?: number; permanent?: boolean } = {},
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
