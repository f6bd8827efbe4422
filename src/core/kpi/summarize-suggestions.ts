/**
 * Suggestions and opinions (R18, R19): what residents proposed in a period, per branch and
 * topic, for the branches to report up and HQ to answer. A suggestion without a topic is
 * grouped under its category. Branch: the one holding it at the end of the period, as for KPIs;
 * a suggestion HQ holds (it answers them, R19) is counted under the branch of the resident's
 * community, the one that would collect and report it (R18), and under the centre without one.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { SuggestionCount, SuggestionRow } from '../ports/kpi-reads.js';

/** The suggestions of one branch (null: the centre) and topic, or category when there is no topic. */
export type SuggestionGroup = Omit<SuggestionCount, 'communityId'>;
/** A suggestion of the period as listed under its group. */
export type SuggestionItem = SuggestionRow;

export interface SuggestionSummary {
  from: Date;
  to: Date;
  groups: SuggestionGroup[];
  /** every suggestion of the period, grouped as above (up to the limit) */
  items: SuggestionItem[];
  truncated: boolean;
}

export async function summarizeSuggestions(
  core: Pick<Core, 'stores' | 'org'>,
  q: { from: Date; to: Date; branchId?: string; itemLimit?: number },
): Promise<SuggestionSummary> {
  if (!(q.from.getTime() < q.to.getTime())) throw new AppError('invalid_period', 'from must be before to', { field: 'from' });
  if (q.branchId && !core.org.branches.has(q.branchId)) {
    throw new AppError('unknown_branch', `no branch ${q.branchId}`, { branch: q.branchId, field: 'branch' });
  }
  const limit = Math.min(Math.max(q.itemLimit ?? 5000, 0), 50_000);
  // one more than asked for tells whether there were more
  const communityIds = q.branchId ? core.org.config.communities.filter((c) => c.branchId === q.branchId).map((c) => c.id) : undefined;
  const { counts, rows } = await core.stores.kpis.suggestions({ from: q.from, to: q.to, branchId: q.branchId, communityIds, limit: limit + 1 });
  const concerned = (b: string | null, communityId: string | null) => b ?? (communityId ? (core.org.communities.get(communityId)?.branchId ?? null) : null);
  const merged = new Map<string, SuggestionGroup>();
  for (const c of counts) {
    const g = { branchId: concerned(c.branchId, c.communityId), topic: c.topic, category: c.category, count: c.count, answered: c.answered };
    const k = `${g.branchId}\u0000${g.topic ?? `#${g.category}`}`;
    const had = merged.get(k);
    merged.set(k, had ? { ...had, count: had.count + g.count, answered: had.answered + g.answered } : g);
  }

  const order = new Map([...core.org.branches.keys()].map((id, i) => [id, i]));
  const rank = (b: string | null) => (b === null ? -1 : (order.get(b) ?? order.size));
  const groups: SuggestionGroup[] = [...merged.values()].sort(
    (a, b) => rank(a.branchId) - rank(b.branchId) || b.count - a.count || String(a.topic ?? a.category).localeCompare(String(b.topic ?? b.category)),
  );
  const key = (g: { branchId: string | null; topic: string | null; category: string | null }) => `${g.branchId}\u0000${g.topic ?? `#${g.category}`}`;
  const groupIndex = new Map(groups.map((g, i) => [key(g), i]));
  const items: SuggestionItem[] = rows.slice(0, limit).map((r) => ({ ...r, branchId: concerned(r.branchId, r.communityId) }));
  // Items follow the groups' order (largest topic first within a branch), oldest first inside one.
  const groupOf = (i: SuggestionItem) => groupIndex.get(key({ branchId: i.branchId, topic: i.topic, category: i.topic ? null : i.category })) ?? 0;
  items.sort((a, b) => groupOf(a) - groupOf(b) || a.createdAt.getTime() - b.createdAt.getTime());
  return { from: q.from, to: q.to, groups, items, truncated: rows.length > limit };
}
