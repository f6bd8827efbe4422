/**
 * Inbound receipts (Telegram update ids, Slack event ids, actions acted on once): a receipt is
 * stored only when the request's work is done (src/core/inbound/handle-once.ts), with that work
 * where it writes (a filing), so a process that dies half-way leaves none and the platform's
 * redelivery is handled.
 */
export interface ReceiptStore {
  /** Whether `key` was stored: the request it names was handled, also before a restart or on another instance. */
  seen(key: string): Promise<boolean>;
  /** Stores the receipts of a request whose work is done; a key stored already stays as it is. */
  record(keys: readonly string[], at: Date): Promise<void>;
  /** True the first time `key` is seen; false for a replay, also one after a restart or on another instance. */
  first(key: string, at: Date): Promise<boolean>;
  /** Forgets a receipt whose handling failed before anything was stored, so that a retry is handled. */
  forget(key: string): Promise<void>;
}
