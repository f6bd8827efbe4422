import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/context.js';

export async function orgRoutes(app: FastifyInstance, { core }: { core: Core }) {
  app.get(
    '/api/org',
    {
      schema: {
        tags: ['organisation'],
        summary: "Branches with units, channels and their own rules (九), communities, staff, the company's prices and time limits",
      },
    },
    async () => {
      const c = core.org.config;
      return {
        company: c.company,
        centre: c.centre,
        // each branch with its own rules under the company's (九): its rows and prices as written, and
        // the fee, office hours and escalation its tickets get (the company's where it sets none)
        branches: c.branches.map((b) => ({
          id: b.id,
          name: b.name,
          nameEn: b.nameEn,
          channels: b.channels,
          units: b.units,
          routing: b.routing,
          timeLimits: b.timeLimits,
          prices: b.prices,
          basicLabourFeeCents: core.org.labourFeeCents(b.id),
          officeHours: core.org.officeHoursOf(b.id),
          escalation: core.org.escalationOf(b.id),
        })),
        communities: c.communities.map((m) => ({ id: m.id, name: m.name, aliases: m.aliases, branchId: m.branchId, stations: m.stations })),
        staff: c.staff.map((s) => ({
          id: s.id,
          name: s.name,
          role: s.role,
          branchId: s.branchId,
          unitId: s.unitId ?? null,
          slackUserId: s.slackUserId ?? null,
        })),
        prices: c.prices,
        timeLimits: c.timeLimits,
      };
    },
  );
}
