import type { Category, Scope, Severity, StaffRole, TicketKind, UnitKind } from '../domain.js';

/** Slack (or other) channel ids a branch or the centre works in. */
export interface Channels {
  dispatch?: string;
  urgent?: string;
  leaders?: string;
  triage?: string;
  callbacks?: string;
  reports?: string;
  /** centre only: conduct complaints (R31-R33), investigated by the centre, not the accused's branch */
  supervision?: string;
  /** centre only: the HQ queue of suggestions (R17-R19) */
  suggestions?: string;
}

export interface Unit {
  id: string;
  kind: UnitKind;
  name: string;
  nameEn?: string;
  channel?: string;
}

/** One row of the time-limit table (R7). Unset match fields match anything; the most specific row wins. */
export interface TimeLimitRule {
  match: { kind?: TicketKind; category?: Category; scope?: Scope; severity?: Severity };
  /** minutes; absent = no such limit for this kind of ticket */
  ack?: number;
  arrive?: number;
  resolve?: number;
  callback?: number;
  /** wall: around the clock (heating faults); office: only inside office hours (billing questions). */
  calendar: 'wall' | 'office';
}

export interface PriceItem {
  id: string;
  category: 'material' | 'fitting' | 'equipment' | 'labour';
  name: string;
  nameEn?: string;
  unit: string;
  priceCents: number;
}

export interface Branch {
  id: string;
  name: string;
  nameEn?: string;
  channels: Channels;
  units: Unit[];
  /** R8b overrides: category → unit kind */
  routing: Partial<Record<Category, UnitKind>>;
  /** (九) the branch's own rows, tried before the company's */
  timeLimits: TimeLimitRule[];
  /** (九) the branch's own prices, by item id */
  prices: PriceItem[];
  /** (九) the branch's own rules under the company's (load-org.ts refuses looser ones); absent = the company's */
  basicLabourFeeCents?: number;
  officeHours?: OfficeHours;
  escalation?: Partial<Pick<EscalationPolicy, 'warnLeadMinutes' | 'secondLevelAfterMinutes' | 'thirdLevelAfterMinutes'>>;
}

export interface Community {
  id: string;
  name: string;
  aliases: string[];
  branchId: string;
  stations: string[];
  /** where it is (WGS84), optional: finds the community nearest to a location a resident shares */
  lat?: number;
  lon?: number;
}

export interface Staff {
  id: string;
  name: string;
  role: StaffRole;
  /** null: the HQ customer-service centre */
  branchId: string | null;
  unitId?: string;
  slackUserId?: string;
  phone?: string;
  onDuty?: boolean;
  /** the staff number on their badge (工号), which a resident is told to check at the door (R6) */
  badge?: string;
}

export interface EscalationPolicy {
  /** a reminder this many minutes before a deadline */
  warnLeadMinutes: number;
  /** after a deadline passes: minutes until the second level (branch head), and the third (HQ leader, major events) */
  secondLevelAfterMinutes: number;
  thirdLevelAfterMinutes: number;
  /** bot question unanswered this long: a callback task for the centre */
  callbackBotTimeoutMinutes: number;
  /**
   * after a heating repair is resolved, how long the radiators get to warm up before the resident
   * is asked "暖气现在热了吗？" and then to rate (escalation.warmCheck, 2h by default)
   */
  warmCheckMinutes: number;
  callbackMaxAttempts: number;
  /** R28: a "not reached" attempt counts only this long after the last counted one (2 h by default) */
  callbackRetrySpacingMinutes: number;
}

export interface OfficeHours {
  /** 1 = Monday ... 7 = Sunday */
  days: number[];
  start: string;
  end: string;
}

/** What an API client may do: read (GET routes, KPIs and CSVs, dashboards, BI) or write (changes). */
export const API_SCOPES = ['read', 'write'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/**
 * A program that calls the API with its own token (a BI tool, the ERP). The file names where the
 * token is, never the token: an environment variable the settings read at start-up, or the token's
 * SHA-256 (hex), so the file can be kept in version control.
 */
export interface ApiClient {
  id: string;
  name: string;
  scopes: ApiScope[];
  token: { env: string } | { sha256: string };
  /**
   * Open311: where the client is told that a request it filed closed, as a signed POST retried
   * through the outbox; the signing secret is in the environment variable `secretEnv`.
   */
  webhook?: { url: string; secretEnv: string };
}

/** A client as the API knows it at run time: the SHA-256 of its token, wherever the file said the token is. */
export interface ApiClientKey {
  id: string;
  name: string;
  scopes: readonly ApiScope[];
  /** hex */
  sha256: string;
}

/** How the Open311 API (core/open311) treats locations and readers without a key. */
export interface Open311Policy {
  /** a lat/long farther than this from every community with coordinates is outside the service area (5 km) */
  serviceAreaKm: number;
  /** GET requests and the updates feed answer callers without a key, with nothing personal (true) */
  publicReads: boolean;
}

/** The client id the environment's API_TOKEN acts as (every scope); no file entry may take it. */
export const OPERATOR_CLIENT = 'operator';

export interface OrgConfig {
  company: {
    name: string;
    nameEn?: string;
    hotline: string;
    emergencyHotline: string;
    heatingSeason: { start: string; end: string };
    basicLabourFeeCents: number;
  };
  centre: { channels: Channels };
  branches: Branch[];
  communities: Community[];
  staff: Staff[];
  timeLimits: TimeLimitRule[];
  officeHours: OfficeHours;
  holidays: string[];
  /** working days that fall on weekends (调休) */
  workdays: string[];
  escalation: EscalationPolicy;
  prices: PriceItem[];
  apiClients: ApiClient[];
  /** the Open311 GeoReport v2 API (core/open311) */
  open311: Open311Policy;
  incidents: IncidentPolicy;
  /** R30: a complaint of the same customer and category within this many minutes repeats the first (30 days) */
  kpi: { repeatWithinMinutes: number };
  /** R16: how long a quote sent to a resident stands (7 days) */
  quotes: { validForMinutes: number };
  /** who is on duty when (core/duty/duty-at.ts); no shifts: the staff's onDuty flags */
  duty: { shifts: DutyShift[] };
}

/**
 * One shift of a duty roster: the staff on duty for a unit of a branch (or the whole branch, or
 * the centre when branchId is null) on these weekdays from start to end, company time. A shift
 * whose end is not after its start runs past midnight (20:00-08:00); start = end is 24 hours.
 */
export interface DutyShift {
  branchId: string | null;
  unitId: string | null;
  name: string;
  /** 1 = Monday ... 7 = Sunday: the days the shift starts on */
  days: number[];
  /** HH:MM */
  start: string;
  end: string;
  staff: string[];
}

/** One cause behind many reports (core/incidents): when to propose one, and its own time limit. */
export interface IncidentPolicy {
  /** this many no-heat or leak reports from one community or station within the window propose an incident */
  proposeAfter: number;
  windowMinutes: number;
  /** the incident's time limit from its declaration (R27: a primary-network fault within 24 h) */
  resolveWithinMinutes: number;
  /** the share of linked tickets called back by phone at restoration (R8h); the rest are asked in the bot */
  phoneSample: number;
}
