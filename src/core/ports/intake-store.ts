/** Filing a ticket: the day's number, the ticket with its events, photos, alerts and messages, and the once-key receipt, in one transaction; the per-resident flood count. */
export interface IntakeStore {}
