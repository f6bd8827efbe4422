/** Tickets after filing: apply a step (version check, its event, alerts, messages, form, callback) in one call; reads by number and id. */
export interface TicketStore {}
