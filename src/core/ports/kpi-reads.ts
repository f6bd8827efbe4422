/**
 * The KPI counts of R27-R30 and R32/R33 over a period, and the suggestions summary (R18, R19),
 * counted by the database: the core turns the counts into rates (kpi/compute-kpis.ts). What
 * each count means, and how a ticket is placed in a period and a branch, is in that file's
 * header and docs/kpi.md.
 */

/** A branch's complaint counts; `branchId` null: tickets no branch held at the end of the period. */
export interface ComplaintCounts {
  branchId: string | null;
  /** R27: repair requests, those in time, and those not yet in time whose window is still open */
  repairs: number;
  repairsTimely: number;
  repairsPending: number;
  /** R29: complaints assigned, finished, finished by their deadline, open with the deadline not yet passed */
  assigned: number;
  finished: number;
  inTime: number;
  pending: number;
  /** finished complaints whose customer answered satisfied */
  satisfied: number;
  /** R30 */
  reopened: number;
  /** R32/R33 */
  conduct: number;
  /** R30: complaints of the period that repeat an earlier one of the same customer and category (Ticket.repeatOfId) */
  repeats: number;
  /** the customer's whole wait, summed over the finished complaints: minutes from the first report to the resolve that stood at the end */
  waitMinutes: number;
}

/** A branch with nothing counted yet (a branch the period's complaints never reached). */
export function noComplaintCounts(branchId: string | null): ComplaintCounts {
  return {
    branchId,
    repairs: 0,
    repairsTimely: 0,
    repairsPending: 0,
    assigned: 0,
    finished: 0,
    inTime: 0,
    pending: 0,
    satisfied: 0,
    reopened: 0,
    conduct: 0,
    repeats: 0,
    waitMinutes: 0,
  };
}

/** R28: customers surveyed (each once) and those whose latest answer was satisfied. */
export interface SurveyCounts {
  surveyed: number;
  satisfied: number;
}

/** A suggestion of the period as the summary lists it. */
export interface SuggestionRow {
  number: string;
  createdAt: Date;
  /** the branch holding it at the end of the period; null: the centre */
  branchId: string | null;
  /** the resident's community, which tells the branch a suggestion HQ holds concerns */
  communityId: string | null;
  /** trimmed; null when none was given */
  topic: string | null;
  category: string;
  status: string;
  source: string;
  description: string;
  /** resolved or closed before the end of the period */
  answered: boolean;
}

/** Suggestions of a branch and topic (or, without a topic, of a category). */
export interface SuggestionCount {
  branchId: string | null;
  /** set only when no branch holds them (HQ answers suggestions): their community */
  communityId: string | null;
  topic: string | null;
  /** set only when there is no topic */
  category: string | null;
  count: number;
  answered: number;
}

/**
 * R30: a ticket taken off a branch's books by a person, with their reason: cancelled, marked as a
 * duplicate of another ticket, or linked to an incident by hand (a link the intake or a
 * declaration made has no reason and is not listed).
 */
export interface WithdrawalRow {
  number: string;
  /** the branch holding the ticket at the end of the period; null: the centre */
  branchId: string | null;
  type: 'cancelled' | 'duplicate' | 'linked';
  at: Date;
  /** the event's actor (staff:<id>, api:<client>) and the staff member an API client acted for */
  actor: string;
  onBehalfOf: string | null;
  reason: string | null;
  /** duplicate: the original's number */
  original: string | null;
  /** linked: the incident's number */
  incident: string | null;
}

/** R30: a callback of the period whose customer was not reached after the counted attempts. */
export interface UnreachableRow {
  number: string;
  /** the branch holding the ticket at the end of the period; null: the centre */
  branchId: string | null;
  category: string;
  contactName: string | null;
  contactPhone: string | null;
  attempts: number;
  /** when the last counted attempt marked it unreachable */
  at: Date;
}

/** R30: who a new complaint is from, to find the earlier one it repeats. */
export interface RepeatQuery {
  category: string;
  /** complaints created at or after this count (now minus kpi.repeatWithin) */
  since: Date;
  customerId: number | null;
  residentId: number | null;
  phone: string | null;
  communityId: string | null;
}

export interface KpiPeriod {
  from: Date;
  to: Date;
}

export interface KpiReads {
  /**
   * Complaints created in [from, to), cancelled ones left out and duplicates counted for R27 only, per branch holding
   * them at `to`, as they stood at `to`; deadlines and repair windows still open at `asOf` are
   * pending.
   */
  complaintCounts(p: KpiPeriod & { asOf: Date }): Promise<ComplaintCounts[]>;
  /** R28 over answers given in [from, to): per branch, and for the company (a customer of two branches once). */
  surveyCounts(p: KpiPeriod): Promise<{ branches: (SurveyCounts & { branchId: string | null })[]; company: SurveyCounts }>;
  /**
   * Suggestions created in [from, to) (cancelled and duplicates left out), optionally of one
   * branch: the counts per branch and topic, and up to `limit` of the suggestions ordered by
   * branch, topic, category, time and number.
   */
  suggestions(
    p: KpiPeriod & { branchId?: string; communityIds?: readonly string[]; limit: number },
  ): Promise<{ counts: SuggestionCount[]; rows: SuggestionRow[] }>;
  /**
   * R30: the withdrawals of tickets created in [from, to), done before `to`, optionally of one
   * branch: how many, and up to `limit` of them in the order they were done.
   */
  withdrawals(p: KpiPeriod & { branchId?: string; limit: number }): Promise<{ total: number; rows: WithdrawalRow[] }>;
  /** R30: transfers out of each branch to another branch done in [from, to), whatever the ticket */
  transfersOut(p: KpiPeriod): Promise<{ branchId: string; count: number }[]>;
  /** R28/R30: callbacks marked unreachable in [from, to), optionally of one branch: how many, and up to `limit` of them by time */
  unreachable(p: KpiPeriod & { branchId?: string; limit: number }): Promise<{ total: number; rows: UnreachableRow[] }>;
  /**
   * R30: the first complaint of the chain a new complaint repeats: the latest earlier complaint
   * of the same customer (account, else resident, else phone in the same community) and category
   * created since `since`, not cancelled nor a duplicate; its own repeatOfId if it has one. Null: none.
   */
  repeatOf(q: RepeatQuery): Promise<{ id: number; number: string } | null>;
}
