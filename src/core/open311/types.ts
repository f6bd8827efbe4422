/**
 * The shapes the Open311 GeoReport v2 API (src/http/open311) and its use cases share. Core
 * returns codes and data; the HTTP layer renders names, notes and notices from locales
 * (open311.json) in the language the caller asked for, as JSON or XML.
 */
import type { Category, TicketKind } from '../domain.js';
import type { Status } from '../tickets/status-machine.js';

/** A service a city platform may file, by its stable code (the organisation's categories and kinds). */
export const SERVICE_CODES = ['no_heat', 'leak', 'noise_pressure', 'billing', 'staff_conduct', 'other', 'suggestion', 'consultation'] as const;
export type ServiceCode = (typeof SERVICE_CODES)[number];

/** GeoReport v2's attribute datatypes. */
export type AttributeDatatype = 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';

/** A question a service asks beyond the description (its name, description and value names are in locales). */
export interface ServiceAttribute {
  code: string;
  datatype: AttributeDatatype;
  required: boolean;
  /** 1, 2, ... in the order a form shows them */
  order: number;
  /** the keys of a list's values */
  values?: readonly string[];
  /** a number's bounds */
  min?: number;
  max?: number;
}

export interface ServiceDefinition {
  code: ServiceCode;
  kind: TicketKind;
  category: Category;
  /** repair | billing | service | suggestion | consultation (a group's name is in locales) */
  group: string;
  attributes: readonly ServiceAttribute[];
}

/** Open311's two states: a request is closed once nothing is owed on it in the city's eyes. */
export type Open311Status = 'open' | 'closed';

/**
 * The latest step of a request, as a code the HTTP layer words (status_notes): the ticket's
 * status, or the step that changed it (transferred, reopened, linked to an outage).
 */
export interface StatusNote {
  code: string;
  /** the branch it names, when the step has one */
  branchId?: string | null;
  /** linked: the outage incident's number (I...) */
  incidentNumber?: string | null;
  at: Date;
}

/** One request as GET requests reads it, whatever channel filed it. */
export interface CityRequestView {
  /** the ticket number: service_request_id */
  number: string;
  serviceCode: ServiceCode;
  status: Open311Status;
  ticketStatus: Status;
  statusNote: StatusNote;
  /** agency_responsible: the branch that holds it (null: the centre) */
  branchId: string | null;
  requestedAt: Date;
  updatedAt: Date;
  /** expected_datetime: the next deadline not yet met (on site, else repaired); null once closed */
  expectedAt: Date | null;
  description: string;
  communityId: string | null;
  /** building, unit and room as the ticket has them, and the free text a city platform sent */
  address: { address: string | null; building: string | null; unit: string | null; room: string | null; addressString: string | null };
  /** the heating account (address_id) */
  account: string | null;
  lat: number | null;
  long: number | null;
  mediaUrl: string | null;
  /** the API client that filed it through Open311 (null: another channel) */
  clientId: string | null;
  /** R31-R33: a complaint about a staff member's conduct (never in the public view) */
  conduct: boolean;
}

/** One status change of the updates feed. */
export interface CityRequestUpdate {
  /** the event's id: update_id, increasing */
  id: number;
  number: string;
  serviceCode: ServiceCode;
  status: Open311Status;
  ticketStatus: Status;
  note: StatusNote;
  at: Date;
}

/** What service_notice says after filing (worded by the HTTP layer): the time limit that applies, or that the centre routes it by hand. */
export type ServiceNotice =
  | { code: 'on_site_within'; minutes: number }
  | { code: 'repaired_within'; minutes: number }
  | { code: 'answered_within'; minutes: number }
  | { code: 'triage' }
  | { code: 'received' };
