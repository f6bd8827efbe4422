import { DEFAULT_UNIT_FOR_CATEGORY, type Category, type UnitKind } from '../domain.js';
import { escalationOf, labourFeeCentsOf, officeHoursOf } from './branch-rules.js';
import type { ApiClient, Branch, Community, EscalationPolicy, OfficeHours, OrgConfig, PriceItem, Staff, Unit } from './types.js';

/** The organisation with look-ups, built once at start-up and shared read-only. */
export class Org {
  readonly branches = new Map<string, Branch>();
  readonly units = new Map<string, Unit & { branchId: string }>();
  readonly communities = new Map<string, Community>();
  readonly staff = new Map<string, Staff>();
  /** the organisation file's API clients by id (the operator is not one of them) */
  readonly apiClients = new Map<string, ApiClient>();
  private readonly bySlack = new Map<string, Staff>();
  private readonly byName = new Map<string, Community>();

  constructor(readonly config: OrgConfig) {
    for (const b of config.branches) {
      this.branches.set(b.id, b);
      for (const u of b.units) this.units.set(u.id, { ...u, branchId: b.id });
    }
    for (const c of config.communities) {
      this.communities.set(c.id, c);
      for (const n of [c.name, ...c.aliases]) this.byName.set(n, c);
    }
    for (const s of config.staff) {
      this.staff.set(s.id, s);
      if (s.slackUserId) this.bySlack.set(s.slackUserId, s);
    }
    for (const c of config.apiClients ?? []) this.apiClients.set(c.id, c);
  }

  /** A community by id, exact name or alias. */
  findCommunity(idOrName: string): Community | undefined {
    const key = idOrName.trim();
    return this.communities.get(key) ?? this.byName.get(key);
  }

  staffBySlackUser(slackUserId: string): Staff | undefined {
    return this.bySlack.get(slackUserId);
  }

  /** R8b with the branch's override (九). */
  unitFor(branchId: string, category: Category): Unit | undefined {
    const branch = this.branches.get(branchId);
    if (!branch) return undefined;
    const kind: UnitKind = branch.routing[category] ?? DEFAULT_UNIT_FOR_CATEGORY[category];
    return branch.units.find((u) => u.kind === kind) ?? branch.units.find((u) => u.kind === 'service_office');
  }

  unitOfKind(branchId: string, kind: UnitKind): Unit | undefined {
    return this.branches.get(branchId)?.units.find((u) => u.kind === kind);
  }

  /** The price list for a branch: company items with the branch's items replacing them by id (九). */
  priceList(branchId?: string | null): PriceItem[] {
    const own = (branchId && this.branches.get(branchId)?.prices) || [];
    const byId = new Map(this.config.prices.map((p) => [p.id, p]));
    for (const p of own) byId.set(p.id, p);
    return [...byId.values()];
  }

  /** R12 (九): the basic labour fee in cents that customer-supplied-materials work of this branch may charge. */
  labourFeeCents(branchId?: string | null): number {
    return labourFeeCentsOf(this.config, branchId);
  }

  /** (九) The office hours a branch's office-calendar limits run on: its own, else the company's. */
  officeHoursOf(branchId?: string | null): OfficeHours {
    return officeHoursOf(this.config, branchId);
  }

  /** (九) The escalation policy for a ticket of this branch: the company's with the branch's delays. */
  escalationOf(branchId?: string | null): EscalationPolicy {
    return escalationOf(this.config, branchId);
  }

  /** The people of a branch with a role (centre staff when branchId is null). */
  staffOf(branchId: string | null, ...roles: Staff['role'][]): Staff[] {
    return this.config.staff.filter((s) => s.branchId === branchId && (roles.length === 0 || roles.includes(s.role)));
  }
}
