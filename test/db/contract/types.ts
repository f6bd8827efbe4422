/** Row shapes the contract tests read back. */
export interface InboundReceiptLike {
  key: string;
  receivedAt: Date;
}
