/**
 * The JSON Schema of the organisation file (YAML or JSON) as operators write it:
 * durations as "15m" / "1h" / "2d", prices in yuan. load-org.ts turns it into OrgConfig.
 */
import { API_SCOPES } from './types.js';
import { CATEGORIES, SCOPES, SEVERITIES, STAFF_ROLES, TICKET_KINDS, UNIT_KINDS } from '../domain.js';

const id = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' };
const text = { type: 'string', minLength: 1, maxLength: 200 };
const duration = {
  anyOf: [
    { type: 'string', pattern: '^\\d+(\\.\\d+)?\\s*(m|min|h|d)$' },
    { type: 'integer', minimum: 1 },
  ],
};
const channels = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(
    ['dispatch', 'urgent', 'leaders', 'triage', 'callbacks', 'reports', 'supervision', 'suggestions'].map((k) => [k, { type: 'string', minLength: 1 }]),
  ),
};
const timeLimitRule = {
  type: 'object',
  additionalProperties: false,
  required: ['match'],
  properties: {
    match: {
      type: 'object',
      additionalProperties: false,
      properties: {
        kind: { enum: TICKET_KINDS },
        category: { enum: CATEGORIES },
        scope: { enum: SCOPES },
        severity: { enum: SEVERITIES },
      },
    },
    ack: duration,
    arrive: duration,
    resolve: duration,
    callback: duration,
    calendar: { enum: ['wall', 'office'] },
  },
};
const price = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'category', 'name', 'unit', 'price'],
  properties: {
    id,
    category: { enum: ['material', 'fitting', 'equipment', 'labour'] },
    name: text,
    nameEn: text,
    unit: { type: 'string', minLength: 1, maxLength: 20 },
    price: { type: 'number', minimum: 0, maximum: 1_000_000 },
  },
};
/** tokenEnv or tokenSha256, never the token itself (load-org.ts says which is missing or doubled). */
const apiClient = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'scopes'],
  properties: {
    id,
    name: text,
    scopes: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: API_SCOPES } },
    tokenEnv: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{0,127}$' },
    tokenSha256: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
    // Open311: where the client is told that a request it filed closed (signed with the secret in secretEnv)
    webhook: {
      type: 'object',
      additionalProperties: false,
      required: ['url', 'secretEnv'],
      properties: {
        url: { type: 'string', pattern: '^https?://[^\\s]{1,2000}$' },
        secretEnv: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{0,127}$' },
      },
    },
  },
};
const localDate = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const hhmm = { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' };
const monthDay = { type: 'string', pattern: '^(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$' };

const officeHours = {
  type: 'object',
  additionalProperties: false,
  required: ['days', 'start', 'end'],
  properties: {
    days: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 7 }, minItems: 1 },
    start: hhmm,
    end: hhmm,
  },
};
/** (九) a branch's own escalation delays: the company's, or tighter */
const escalationDelays = {
  type: 'object',
  additionalProperties: false,
  properties: { warnLead: duration, secondLevelAfter: duration, thirdLevelAfter: duration },
};

export const orgFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['company', 'branches', 'communities', 'staff', 'timeLimits'],
  properties: {
    company: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'hotline', 'emergencyHotline'],
      properties: {
        name: text,
        nameEn: text,
        hotline: text,
        emergencyHotline: text,
        heatingSeason: {
          type: 'object',
          additionalProperties: false,
          required: ['start', 'end'],
          properties: { start: monthDay, end: monthDay },
        },
        basicLabourFee: { type: 'number', minimum: 0 },
      },
    },
    centre: { type: 'object', additionalProperties: false, properties: { channels } },
    branches: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'units'],
        properties: {
          id,
          name: text,
          nameEn: text,
          channels,
          units: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['id', 'kind', 'name'],
              properties: { id, kind: { enum: UNIT_KINDS }, name: text, nameEn: text, channel: { type: 'string' } },
            },
          },
          routing: {
            type: 'object',
            additionalProperties: false,
            properties: Object.fromEntries(CATEGORIES.map((c) => [c, { enum: UNIT_KINDS }])),
          },
          timeLimits: { type: 'array', items: timeLimitRule },
          prices: { type: 'array', items: price },
          // (九) the branch's own rules, under the company's: load-org.ts refuses a looser one
          basicLabourFee: { type: 'number', minimum: 0 },
          officeHours,
          escalation: escalationDelays,
        },
      },
    },
    communities: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'branch'],
        properties: {
          id,
          name: text,
          aliases: { type: 'array', items: text },
          branch: id,
          stations: { type: 'array', items: text },
          lat: { type: 'number', minimum: -90, maximum: 90 },
          lon: { type: 'number', minimum: -180, maximum: 180 },
        },
      },
    },
    staff: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'role'],
        properties: {
          id,
          name: text,
          role: { enum: STAFF_ROLES },
          branch: { anyOf: [id, { type: 'null' }] },
          unit: id,
          slack: { type: 'string', pattern: '^[UW][A-Z0-9]{2,}$' },
          phone: { type: 'string' },
          onDuty: { type: 'boolean' },
          badge: { type: 'string', pattern: '^[A-Za-z0-9-]{1,16}$' },
        },
      },
    },
    timeLimits: { type: 'array', minItems: 1, items: timeLimitRule },
    officeHours,
    holidays: { type: 'array', items: localDate },
    workdays: { type: 'array', items: localDate },
    escalation: {
      type: 'object',
      additionalProperties: false,
      properties: {
        warnLead: duration,
        secondLevelAfter: duration,
        thirdLevelAfter: duration,
        callbackBotTimeout: duration,
        warmCheck: duration,
        callbackMaxAttempts: { type: 'integer', minimum: 1, maximum: 10 },
        callbackRetrySpacing: duration,
      },
    },
    kpi: {
      type: 'object',
      additionalProperties: false,
      properties: {
        // R30: a complaint of the same customer and category within this time repeats the first
        repeatWithin: duration,
      },
    },
    quotes: {
      type: 'object',
      additionalProperties: false,
      properties: {
        // R16: how long a quote sent to a resident stands
        validFor: duration,
      },
    },
    prices: { type: 'array', items: price },
    apiClients: { type: 'array', items: apiClient },
    open311: {
      type: 'object',
      additionalProperties: false,
      properties: {
        // a lat/long farther than this from every community with coordinates is outside the service area
        serviceAreaKm: { type: 'number', exclusiveMinimum: 0, maximum: 200 },
        // GET requests and updates without a key answer a view with nothing personal; false: a read key is needed
        publicReads: { type: 'boolean' },
      },
    },
    incidents: {
      type: 'object',
      additionalProperties: false,
      properties: {
        proposeAfter: { type: 'integer', minimum: 2, maximum: 10_000 },
        window: duration,
        resolveWithin: duration,
        phoneSample: { type: 'number', minimum: 0, maximum: 1 },
      },
    },
    // the duty roster (core/duty/duty-at.ts); where no shift covers a time, the onDuty flags page
    duty: {
      type: 'object',
      additionalProperties: false,
      properties: {
        shifts: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'start', 'end', 'staff'],
            properties: {
              branch: { anyOf: [id, { type: 'null' }] },
              unit: id,
              name: text,
              days: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 7 }, minItems: 1, uniqueItems: true },
              start: hhmm,
              end: hhmm,
              staff: { type: 'array', items: id, minItems: 1 },
            },
          },
        },
      },
    },
  },
} as const;
