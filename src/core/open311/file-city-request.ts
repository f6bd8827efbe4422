/**
 * A city platform files a request through Open311 (GeoReport v2 POST requests): it becomes a
 * ticket with source city_platform and the API client as first responder, routed by its place
 * like any other report (no place matched: the centre's triage queue), its severity read from
 * the description as the classifier reads a resident's message and raised by the service's
 * answers. What the platform sent beyond the ticket (its point, address text, answers, e-mail,
 * media URL) is one CityRequest row stored in the ticket's own transaction.
 */
import type { Core } from '../context.js';
import { AppError, isAppError } from '../errors.js';
import type { Ticket } from '../model.js';
import { openIncidentFor } from '../incidents/open-incident-for.js';
import { createTicket } from '../tickets/create-ticket.js';
import { checkAttributes } from './check-attributes.js';
import { cityRequestUrgency } from './city-request-urgency.js';
import { checkLocation, checkServiceArea, locateCityRequest } from './locate-city-request.js';
import { serviceByCode } from './service-catalogue.js';
import { webUrl } from './web-url.js';
import type { ServiceDefinition, ServiceNotice } from './types.js';

export interface CityRequestInput {
  /** the API client filing it (HTTP checked its key and write scope) */
  clientId: string;
  serviceCode: string;
  addressString?: string;
  lat?: number;
  long?: number;
  /** a heating account */
  addressId?: string;
  description?: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  email?: string;
  mediaUrl?: string;
  /** attribute[code]=value; a multivaluelist's values as a list */
  attributes: Record<string, string | string[]>;
  /** the client's Idempotency-Key: a repeat is refused with already_filed, its context naming the receipt (`keys`) and the first ticket (`number`) */
  onceKey?: string;
}

export interface FiledCityRequest {
  ticket: Ticket;
  notice: ServiceNotice;
  /** the heating account the request named (address_id), found */
  account: string | null;
}

/** The longest description a ticket keeps (createTicket's own limit), checked before any other work on it. */
export const MAX_DESCRIPTION = 4000;
const MAX_NAME = 50;
const MAX_EMAIL = 254;
const MAX_MEDIA_URL = 2000;
const MAX_ADDRESS = 200;
const MAX_ACCOUNT = 32;
const MAX_ONCE_KEY = 200;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[0-9+\- ]{5,20}$/;
const HAN = /\p{Script=Han}/u;

/** The receipt key of a client's Idempotency-Key (kept with the ticket: InboundReceipt). */
export function cityRequestOnceKey(clientId: string, onceKey: string): string {
  return `open311:${clientId}:${onceKey}`;
}

export async function fileCityRequest(core: Core, input: CityRequestInput): Promise<FiledCityRequest> {
  // a key filed before is answered with its ticket, whatever the repeat says (and after its receipt was pruned)
  if (input.onceKey) {
    const number = await core.stores.intake.cityRequestNumber(input.clientId, input.onceKey);
    if (number) throw repeated(input, number);
  }
  const service = serviceByCode(input.serviceCode);
  if (!service) throw new AppError('unknown_service', `no service ${input.serviceCode}`, { service: input.serviceCode });
  checkFields(input);
  checkLocation(input);
  const answers = checkAttributes(service, input.attributes);
  if (input.lat !== undefined && input.long !== undefined) checkServiceArea(core.org, { lat: input.lat, lon: input.long });
  const place = await locateCityRequest(core, input);
  const description = input.description!;
  const { severity, scope } = cityRequestUrgency(service, description, answers);
  const communityId = place.customer?.communityId ?? place.communityId ?? null;
  // a cold flat in a community an open outage covers is that incident's, as from every other channel
  const incident = service.kind === 'complaint' && service.category === 'no_heat' && communityId ? await openIncidentFor(core, communityId) : null;
  const now = core.clock.now();
  const ticket = await createTicket(core, {
    kind: service.kind,
    category: service.category,
    severity,
    scope,
    source: 'city_platform',
    description,
    firstResponder: `api:${input.clientId}`,
    ...(place.customer
      ? { customerAccount: place.customer.account, known: { customer: place.customer } }
      : { communityId: place.communityId, address: place.address, building: place.building, unit: place.unit, room: place.room }),
    contactName: contactNameOf(input.firstName, input.lastName),
    contactPhone: input.phone,
    incident: incident ?? undefined,
    onceKeys: input.onceKey ? [cityRequestOnceKey(input.clientId, input.onceKey)] : undefined,
    cityRequest: {
      clientId: input.clientId,
      serviceCode: service.code,
      addressString: input.addressString ?? null,
      addressId: input.addressId ?? null,
      lat: input.lat ?? null,
      long: input.long ?? null,
      email: input.email ?? null,
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      mediaUrl: input.mediaUrl ?? null,
      attributes: JSON.stringify(answers),
      onceKey: input.onceKey ?? null,
      createdAt: now,
    },
  }).catch(async (e: unknown) => {
    throw await withFirstNumber(core, input, e);
  });
  return { ticket, notice: noticeOf(service, ticket), account: place.customer?.account ?? null };
}

/**
 * A repeated Idempotency-Key: already_filed, its context naming the receipt (`keys`) and the
 * ticket the key filed first (`number`), so the platform can be answered with that ticket again.
 */
async function withFirstNumber(core: Core, input: CityRequestInput, e: unknown): Promise<unknown> {
  // the receipt refused it: a repeat sent while the first was being filed
  if (!input.onceKey || !isAppError(e, 'already_filed')) return e;
  const number = await core.stores.intake.cityRequestNumber(input.clientId, input.onceKey);
  return number ? repeated(input, number) : e;
}

function repeated(input: CityRequestInput, number: string): AppError {
  const key = cityRequestOnceKey(input.clientId, input.onceKey!);
  return new AppError('already_filed', `${key} filed already: ticket ${number}`, { keys: [key], number });
}

/** The free-text fields' shapes and sizes: a description is required, and nothing oversized is read further. */
function checkFields(i: CityRequestInput): void {
  const bad = (field: string, message: string) => {
    throw new AppError('validation_failed', `${field}: ${message}`, { field });
  };
  if (!i.description?.trim()) bad('description', 'is required');
  if (i.description!.length > MAX_DESCRIPTION) bad('description', `is longer than ${MAX_DESCRIPTION} characters`);
  if (i.firstName !== undefined && i.firstName.length > MAX_NAME) bad('first_name', `is longer than ${MAX_NAME} characters`);
  if (i.lastName !== undefined && i.lastName.length > MAX_NAME) bad('last_name', `is longer than ${MAX_NAME} characters`);
  if (i.email !== undefined && (i.email.length > MAX_EMAIL || !EMAIL.test(i.email))) bad('email', 'is not an e-mail address');
  if (i.phone !== undefined && !PHONE.test(i.phone)) bad('phone', 'must be 5 to 20 digits, spaces, + or -');
  if (i.mediaUrl !== undefined && (i.mediaUrl.length > MAX_MEDIA_URL || !webUrl(i.mediaUrl)))
    bad('media_url', `must be an http(s) URL of at most ${MAX_MEDIA_URL} characters`);
  if (i.addressString !== undefined && i.addressString.length > MAX_ADDRESS) bad('address_string', `is longer than ${MAX_ADDRESS} characters`);
  if (i.addressId !== undefined && i.addressId.length > MAX_ACCOUNT) bad('address_id', `is longer than ${MAX_ACCOUNT} characters`);
  if (i.onceKey !== undefined && (i.onceKey === '' || i.onceKey.length > MAX_ONCE_KEY)) bad('onceKey', `must be 1 to ${MAX_ONCE_KEY} characters`);
}

/** Family name first and no space when either part is Chinese (张伟); "First Last" otherwise. */
export function contactNameOf(first: string | undefined, last: string | undefined): string | undefined {
  if (!first || !last) return first || last || undefined;
  return HAN.test(first) || HAN.test(last) ? `${last}${first}` : `${first} ${last}`;
}

/**
 * What the platform is told at once: the centre routes it by hand (triage), or the time limit
 * that applies to it, from the ticket's own deadlines.
 */
function noticeOf(service: ServiceDefinition, ticket: Ticket): ServiceNotice {
  const minutes = (due: Date) => Math.max(0, Math.round((due.getTime() - ticket.createdAt.getTime()) / 60_000));
  // a suggestion stays with the centre by rule; anything else with no branch waits in the triage queue
  if (ticket.status === 'received' && ticket.branchId === null && service.kind !== 'suggestion') return { code: 'triage' };
  if (service.kind !== 'complaint') return ticket.resolveDueAt ? { code: 'answered_within', minutes: minutes(ticket.resolveDueAt) } : { code: 'received' };
  if (ticket.arriveDueAt) return { code: 'on_site_within', minutes: minutes(ticket.arriveDueAt) };
  if (ticket.resolveDueAt) return { code: 'repaired_within', minutes: minutes(ticket.resolveDueAt) };
  return { code: 'received' };
}
