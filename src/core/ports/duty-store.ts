/** Duty log and shift handovers (R4). */
export interface DutyStore {}
