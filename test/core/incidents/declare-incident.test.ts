import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareIncident } from '../../../src/core/incidents/declare-incident.js';
import { openIncidentFor } from '../../../src/core/incidents/open-incident-for.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
beforeAll(async () => {
  core = await makeTestCore({ start: '2026-12-06T19:00:00Z' });
});
afterAll(async () => core?.close());

describe('declaring an incident', () => {
  it('covers the communities a station feeds and is the open incident of each of them', async () => {
    const { incident, created } = await declareIncident(core, { stationIds: ['HX-XI02'], scope: 'station', cause: '换热站循环泵故障', actor: 'staff:test' });
    expect(created).toBe(true);
    expect(incident.communityIds).toEqual(['c001', 'c005', 'c009']);
    expect(incident.number).toMatch(/^I20261207-01$/);
    expect((await openIncidentFor(core, 'c005'))?.id).toBe(incident.id);
    expect(await openIncidentFor(core, 'c002')).toBeNull();
  });
});
