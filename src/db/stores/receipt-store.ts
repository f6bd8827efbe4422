import type { ReceiptStore } from '../../core/ports/receipt-store.js';
import type { Db } from '../client.js';
import type { Runner } from '../runner.js';

/** Inbound receipts (Telegram update ids, Slack event ids): first time or replay; forget. */
export class SqlReceiptStore implements ReceiptStore {
  constructor(
    private readonly db: Db,
    private readonly q: Runner,
  ) {}
}
