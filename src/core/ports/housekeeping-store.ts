/** Deleting old receipts and delivered messages in chunks. */
export interface HousekeepingStore {}
