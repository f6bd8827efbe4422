/** Messages owed: owe, claim due rows with a lease, mark sent / failed / dead, resend; where a ticket's Slack cards live. */
export interface OutboxStore {}
