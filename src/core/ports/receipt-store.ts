/** Inbound receipts (Telegram update ids, Slack event ids): first time or replay; forget. */
export interface ReceiptStore {
  /** True the first time `key` is seen; false for a replay, also one after a restart or on another instance. */
  first(key: string, at: Date): Promise<boolean>;
  /** Forgets a receipt whose handling failed before anything was stored, so that a retry is handled. */
  forget(key: string): Promise<void>;
}
