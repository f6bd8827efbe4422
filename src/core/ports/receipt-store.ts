/** Inbound receipts (Telegram update ids, Slack event ids): first time or replay; forget. */
export interface ReceiptStore {}
