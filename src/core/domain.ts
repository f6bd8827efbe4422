/** The vocabulary of the ticket domain. Stored as strings; these lists are the truth. */
export const TICKET_KINDS = ['complaint', 'suggestion', 'consultation', 'paid_service'] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];

export const CATEGORIES = ['no_heat', 'leak', 'billing', 'staff_conduct', 'noise_pressure', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

/** R27: primary = primary network and other faults within the company's responsibility (24 h to repair);
 * secondary = secondary network, indoor facilities and faults outside it (1 h to be on site). */
export const SCOPES = ['primary', 'secondary'] as const;
export type Scope = (typeof SCOPES)[number];

export const SEVERITIES = ['normal', 'urgent', 'major'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SOURCES = ['telegram', 'hotline', 'letter', 'visit', 'branch_direct', 'suggestion_box', 'slack', 'city_platform'] as const;
export type Source = (typeof SOURCES)[number];

export const UNIT_KINDS = ['service_office', 'field_team', 'billing_office', 'department'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const STAFF_ROLES = ['centre_agent', 'branch_coordinator', 'field_staff', 'billing', 'leader', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const SATISFACTION = ['satisfied', 'fairly', 'dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTION)[number];

/** The first letter of a ticket number, by kind: T投诉/报修, S建议, Q咨询, P有偿服务. */
export const KIND_LETTER: Record<TicketKind, string> = {
  complaint: 'T',
  suggestion: 'S',
  consultation: 'Q',
  paid_service: 'P',
};

/** R8b: which kind of unit inside the branch handles a category, unless the branch says otherwise. */
export const DEFAULT_UNIT_FOR_CATEGORY: Record<Category, UnitKind> = {
  no_heat: 'field_team',
  leak: 'field_team',
  noise_pressure: 'field_team',
  billing: 'billing_office',
  staff_conduct: 'service_office',
  other: 'service_office',
};
