/**
 * The Open311 routes as the OpenAPI document (/docs) lists them: tag open311, a summary and the
 * parameters. No response schemas: Fastify would drop any field a schema forgot, and the
 * answers' shape is the specification's (render.ts, format.ts).
 */
// no enum: another extension is a page we do not have (404), not a bad parameter (400)
const format = { type: 'string', description: 'the answer format: json or xml' } as const;
const text = (description: string) => ({ type: 'string', description }) as const;
const listParam = (description: string) => ({ description: `${description} (comma-separated)` }) as const;

const locale = text('zh-CN (default) or en; also Accept-Language');
const jurisdiction = text('accepted and ignored: one jurisdiction');
const readSecurity: { [label: string]: string[] }[] = [{}, { bearer: [] }];

const SPEC = 'Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2).';

export const open311Schemas = {
  services: {
    tags: ['open311'],
    summary: 'List the services a request may be filed under',
    description: `${SPEC} Needs no key.`,
    security: [],
    params: { type: 'object', properties: { format } },
    querystring: { type: 'object', properties: { jurisdiction_id: jurisdiction, locale } },
  },
  serviceDefinition: {
    tags: ['open311'],
    summary: "A service's definition: the attributes it asks",
    description: `${SPEC} Needs no key. An unknown service_code is 404.`,
    security: [],
    params: { type: 'object', properties: { code: text('the service_code'), format } },
    querystring: { type: 'object', properties: { jurisdiction_id: jurisdiction, locale } },
  },
  postRequest: {
    tags: ['open311'],
    summary: 'File a service request (a ticket with source city_platform)',
    description: `${SPEC} application/x-www-form-urlencoded, at most 64 KB. api_key (or Authorization: Bearer): an API client with the write scope. Location: address_string, lat and long, or address_id (a heating account). attribute[CODE]=value, attribute[CODE][]=value for a multi-value list. An Idempotency-Key header (at most 100 characters) answers a repeat with the first request.`,
    security: [],
    consumes: ['application/x-www-form-urlencoded'],
    params: { type: 'object', properties: { format } },
    body: {
      type: 'object',
      properties: {
        api_key: text("an API client's token with the write scope"),
        jurisdiction_id: jurisdiction,
        service_code: text('the service (GET services)'),
        lat: text('WGS84 latitude'),
        long: text('WGS84 longitude'),
        address_string: text('the address as written'),
        address_id: text('a heating account number'),
        email: text('the requester’s e-mail'),
        device_id: text('accepted and ignored'),
        account_id: text('accepted and ignored'),
        first_name: text('the requester’s given name'),
        last_name: text('the requester’s family name'),
        phone: text('the requester’s phone'),
        description: text('what is wrong (required, at most 4,000 characters)'),
        media_url: text('an http(s) URL of a photo'),
        locale,
      },
    },
  },
  getRequests: {
    tags: ['open311'],
    summary: 'Read requests by id or by the time they were filed',
    description: `${SPEC} Authorization: Bearer with the read scope: the full view; no credentials (when open311.publicReads): the public view, nothing personal. At most 1,000 ids and 1,000 results; dates span at most 90 days (default: the last 90).`,
    security: readSecurity,
    params: { type: 'object', properties: { format } },
    querystring: {
      type: 'object',
      properties: {
        service_request_id: listParam('request ids; the dates are ignored then'),
        service_code: listParam('service codes'),
        start_date: text('W3C date-time: filed at or after'),
        end_date: text('W3C date-time: filed at or before'),
        status: listParam('open, closed'),
        jurisdiction_id: jurisdiction,
        locale,
      },
    },
  },
  getRequest: {
    tags: ['open311'],
    summary: 'Read one request',
    description: `${SPEC} As GET requests, for one id (an array of one); an unknown id is 404.`,
    security: readSecurity,
    params: { type: 'object', properties: { id: text('the service_request_id'), format } },
    querystring: { type: 'object', properties: { jurisdiction_id: jurisdiction, locale } },
  },
  updates: {
    tags: ['open311'],
    summary: 'The updates feed: status changes since a time or an update_id',
    description:
      "mySociety's servicerequestupdates extension of GeoReport v2, oldest first, at most 1,000: poll with after=<the last update_id seen>. Default window: the last 24 hours (with after: 90 days). Credentials as GET requests.",
    security: readSecurity,
    params: { type: 'object', properties: { format } },
    querystring: {
      type: 'object',
      properties: {
        start_date: text('W3C date-time'),
        end_date: text('W3C date-time'),
        after: text('an update_id: only the updates after it'),
        jurisdiction_id: jurisdiction,
        locale,
      },
    },
  },
};
