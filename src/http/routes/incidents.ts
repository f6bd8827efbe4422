import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Core } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { declareIncident } from '../../core/incidents/declare-incident.js';
import { getIncident, type IncidentView } from '../../core/incidents/get-incident.js';
import { listIncidents } from '../../core/incidents/list-incidents.js';
import { loadIncident } from '../../core/incidents/load-incident.js';
import { restoreIncident } from '../../core/incidents/restore-incident.js';
import { updateIncident } from '../../core/incidents/update-incident.js';
import { formatMinute } from '../../core/local-time.js';
import { INCIDENT_SCOPES, type Incident } from '../../core/model.js';
import type { Org } from '../../core/org/org.js';
import { canManageIncident } from '../../core/staff/can-manage-incident.js';
import { clientActor } from '../auth.js';
import { page } from '../schemas.js';
import { ticketSummary } from '../serialize.js';

const str = (max: number) => ({ type: 'string', minLength: 1, maxLength: max });
const ids = (max: number) => ({ type: 'array', maxItems: 500, uniqueItems: true, items: str(max) });
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const actor = { ...str(64), description: 'the staff id the client acts for (checked as if they declared it in Slack); absent: the client itself' };

/** An incident by its row id or its number (I20261206-01). */
const refParam = {
  type: 'object',
  required: ['ref'],
  properties: { ref: { type: 'string', maxLength: 32, pattern: '^(\\d{1,9}|I\\d{8}-\\d{2,})$' } },
} as const;

const declareBody = {
  type: 'object',
  additionalProperties: false,
  required: ['scope', 'cause'],
  properties: {
    communityIds: ids(64),
    stationIds: ids(64),
    scope: { enum: INCIDENT_SCOPES },
    cause: str(500),
    severity: { enum: ['normal', 'major'] },
    expectedAt: { type: ['string', 'null'], format: 'date-time', description: 'expected restoration (told to residents)' },
    proposalKey: str(200),
    actor,
  },
} as const;

const updateBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    expectedAt: { type: ['string', 'null'], format: 'date-time' },
    cause: str(500),
    severity: { enum: ['normal', 'major'] },
    note: str(1000),
    actor,
  },
} as const;

const restoreBody = {
  type: 'object',
  additionalProperties: false,
  properties: { note: str(1000), actor },
} as const;

/** An incident as the API shows it: ISO instants with minute-precision local times, communities by id and name. */
export function incidentSummary(org: Org, i: Incident) {
  return {
    id: i.id,
    number: i.number,
    status: i.status,
    scope: i.scope,
    severity: i.severity,
    cause: i.cause,
    branchIds: i.branchIds,
    // a community no longer in the organisation file stays named by its id
    communities: i.communityIds.map((id) => ({ id, name: org.communities.get(id)?.name ?? null })),
    communityIds: i.communityIds,
    stationIds: i.stationIds,
    linkedCount: i.linkedCount,
    expectedAt: iso(i.expectedAt),
    expectedAtLocal: i.expectedAt ? formatMinute(i.expectedAt) : null,
    resolveDueAt: iso(i.resolveDueAt),
    declaredAt: iso(i.declaredAt),
    declaredAtLocal: formatMinute(i.declaredAt),
    declaredBy: i.declaredBy,
    restoredAt: iso(i.restoredAt),
    restoredBy: i.restoredBy,
  };
}

function incidentDetail(org: Org, v: IncidentView) {
  return {
    ...incidentSummary(org, v),
    linked: v.linked.map((t) => ticketSummary(org, t)),
    timeline: v.timeline.map((e) => ({
      at: e.at.toISOString(),
      atLocal: formatMinute(e.at),
      type: e.type,
      actor: e.actor,
      note: e.note,
      data: e.data ? JSON.parse(e.data) : null,
    })),
  };
}

/**
 * Incidents: one failed station or main behind many reports. Declaring, changing and restoring
 * one are changes (write scope); a staff member the client names must be allowed to manage the
 * incident's branches, as in Slack (403 forbidden otherwise).
 */
export async function incidentRoutes(app: FastifyInstance, { core }: { core: Core }) {
  const actingFor = (req: FastifyRequest, staffId: string | undefined, branchIds: readonly string[]): string => {
    if (staffId === undefined) return clientActor(req);
    const staff = core.org.staff.get(staffId);
    if (!staff) throw new AppError('unknown_staff', `${staffId} is not staff in the organisation`, { staff: staffId });
    const may = canManageIncident(core.org, staff, branchIds);
    if (!may.allowed) throw new AppError('forbidden', `${staffId} may not manage this incident (${may.reason})`, { reason: may.reason });
    return `staff:${staff.id}`;
  };
  const at = (v: string | null | undefined) => (v === undefined ? undefined : v === null ? null : new Date(v));

  app.get<{ Querystring: { status?: 'open' | 'restored'; page: number; pageSize: number } }>(
    '/api/incidents',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Incidents, newest first, each with its count of linked reports',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { status: { enum: ['open', 'restored'] }, page, pageSize: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
        },
      },
    },
    async (req) => {
      const { status, page: p, pageSize } = req.query;
      const res = await listIncidents(core, { status, take: pageSize, skip: (p - 1) * pageSize });
      return { total: res.total, page: p, pageSize, items: res.incidents.map((i) => incidentSummary(core.org, i)) };
    },
  );

  app.get<{ Params: { ref: string }; Querystring: { page: number; pageSize: number } }>(
    '/api/incidents/:ref',
    {
      schema: {
        tags: ['incidents'],
        summary: 'An incident with its linked reports (a page of them), their count and its timeline',
        params: refParam,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { page, pageSize: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
        },
      },
    },
    async (req) => {
      const { page: p, pageSize } = req.query;
      return incidentDetail(core.org, await getIncident(core, req.params.ref, { take: pageSize, skip: (p - 1) * pageSize }));
    },
  );

  app.post<{ Body: Record<string, any> }>(
    '/api/incidents',
    { schema: { tags: ['incidents'], summary: 'Declare an incident (201); the same area declared again answers the open one (200)', body: declareBody } },
    async (req, reply) => {
      const b = req.body;
      const communities = new Set<string>([...(b.communityIds ?? [])]);
      for (const s of b.stationIds ?? []) for (const c of core.org.config.communities) if (c.stations.includes(s)) communities.add(c.id);
      const branchIds = [...communities].map((c) => core.org.communities.get(c)?.branchId).filter((x): x is string => Boolean(x));
      const { incident, created } = await declareIncident(core, {
        communityIds: b.communityIds,
        stationIds: b.stationIds,
        scope: b.scope,
        cause: b.cause,
        severity: b.severity,
        expectedAt: at(b.expectedAt),
        proposalKey: b.proposalKey,
        actor: actingFor(req, b.actor, branchIds),
      });
      return reply.status(created ? 201 : 200).send(incidentDetail(core.org, await getIncident(core, incident.id)));
    },
  );

  app.patch<{ Params: { ref: string }; Body: Record<string, any> }>(
    '/api/incidents/:ref',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Change the expected restoration (residents are told again), the cause or severity, or add a note',
        params: refParam,
        body: updateBody,
      },
    },
    async (req) => {
      const incident = await loadIncident(core, req.params.ref);
      const b = req.body;
      await updateIncident(core, {
        id: incident.id,
        actor: actingFor(req, b.actor, incident.branchIds),
        expectedAt: at(b.expectedAt),
        cause: b.cause,
        severity: b.severity,
        note: b.note,
      });
      return incidentDetail(core.org, await getIncident(core, incident.id));
    },
  );

  app.post<{ Params: { ref: string }; Body: { note?: string; actor?: string } | undefined }>(
    '/api/incidents/:ref/restore',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Heat is back: resolve every linked report, tell each resident, open the callbacks (R8h)',
        params: refParam,
        body: restoreBody,
      },
    },
    async (req) => {
      const incident = await loadIncident(core, req.params.ref);
      const b = req.body ?? {};
      await restoreIncident(core, { id: incident.id, actor: actingFor(req, b.actor, incident.branchIds), note: b.note });
      return incidentDetail(core.org, await getIncident(core, incident.id));
    },
  );
}
