/** Deleting old receipts and delivered messages in chunks; whether the database answers. */
export interface HousekeepingStore {
  /** The database behind the stores. */
  readonly database: 'sqlite' | 'postgresql';
  /** Resolves when the database answers a query; rejects when it does not. */
  ping(): Promise<void>;
  /** Deletes up to `limit` inbound receipts received before `before`; how many went. */
  deleteReceiptsBefore(before: Date, limit: number): Promise<number>;
  /** Deletes up to `limit` delivered outbox messages sent before `before`; how many went. */
  deleteSentMessagesBefore(before: Date, limit: number): Promise<number>;
}
