import type { OutboxMessage } from '../core/model.js';

/** Delivers one outbox message on one platform (Telegram, Slack). Rendering happens here, at delivery. */
export interface Deliverer {
  deliver(msg: OutboxMessage, attempt?: DeliveryAttempt): Promise<DeliveryResult | undefined>;
}

/** What the worker knows of a message's earlier attempts. */
export interface DeliveryAttempt {
  /**
   * An earlier attempt may have reached the platform (core/outbox/outcome-unknown.ts): a
   * deliverer that can look (Slack's channel history) adopts what it finds instead of posting again.
   */
  outcomeUnknown: boolean;
}

export interface DeliveryResult {
  /** stored on the row, e.g. the Slack message ts or Telegram message id */
  result?: Record<string, unknown>;
}

/**
 * A failed delivery. `retryAfterMs` obeys the platform's Retry-After / retry_after;
 * `permanent` (a chat that blocked the bot, a channel that does not exist) goes straight to dead;
 * `outcomeUnknown`: the platform may have taken (part of) the message all the same (a timeout, a
 * dropped connection, a 5xx, or a later call of the same delivery failing after an earlier one
 * was posted), so the next attempt looks before it posts.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly opts: { retryAfterMs?: number; permanent?: boolean; outcomeUnknown?: boolean } = {},
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
