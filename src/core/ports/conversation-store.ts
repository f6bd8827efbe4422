/**
 * Where the bot's conversation with each chat stands, as grammY's session keeps it: a JSON value
 * per key (the chat), with the instant after which nothing in it is waited for. The bot reads it
 * on every update of a chat and writes it when it changed, so it is one statement each way.
 */
export interface ConversationStore {
  /** The value stored under `key`, unless it lapsed at or before `now` (then null, as if never stored). */
  read(key: string, now: Date): Promise<string | null>;
  /** Stores `value` under `key`, replacing any earlier one. */
  write(key: string, value: string, expiresAt: Date | null, at: Date): Promise<void>;
  delete(key: string): Promise<void>;
  /** Deletes up to `limit` values that lapsed before `before`; how many went. */
  deleteExpiredBefore(before: Date, limit: number): Promise<number>;
}
