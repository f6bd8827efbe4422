import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/context.js';

export async function orgRoutes(app: FastifyInstance, { core }: { core: Core }) {
  app.get('/api/org', { schema: { tags: ['organisation'], summary: 'Branches with units and channels, communities, staff' } }, async () => {
    const c = core.org.config;
    return {
      company: c.company,
      centre: c.centre,
      branches: c.branches.map((b) => ({ id: b.id, name: b.name, nameEn: b.nameEn, channels: b.channels, units: b.units, routing: b.routing })),
      communities: c.communities.map((m) => ({ id: m.id, name: m.name, aliases: m.aliases, branchId: m.branchId, stations: m.stations })),
      staff: c.staff.map((s) => ({ id: s.id, name: s.name, role: s.role, branchId: s.branchId, unitId: s.unitId ?? null, slackUserId: s.slackUserId ?? null })),
      prices: c.prices,
      timeLimits: c.timeLimits,
    };
  });
}
