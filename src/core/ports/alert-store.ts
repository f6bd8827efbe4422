/** Time-bound alerts: claim what is due, fire (mark fired with the effects of firing), cancel; the next due time; scheduled reports. */
export interface AlertStore {}
