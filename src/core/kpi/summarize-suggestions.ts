/**
 * Suggestions and opinions (R18, R19): what residents proposed in a period, per branch and
 * topic, for the branches to report up and HQ to answer. A suggestion without a topic is
 * grouped under its category. Branch: the one holding it at the end of the period, as for KPIs.
 */
import { Prisma } from '../../db/generated/sqlite/client.js';
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import { holderAt } from './compute-kpis.js';
import { dialectOf, num } from './sql-dialect.js';

export interface SuggestionGroup {
  /** null: not yet with a branch (the centre) */
  branchId: string | null;
  /** the topic as entered; null when none was given */
  topic: string | null;
  /** the category, when there is no topic */
  category: string | null;
  count: number;
  /** answered (resolved or closed) by the end of the period */
  answered: number;
}

export interface SuggestionItem {
  number: string;
  createdAt: Date;
  branchId: string | null;
  topic: string | null;
  category: string;
  status: string;
  source: string;
  description: string;
  answered: boolean;
}

export interface SuggestionSummary {
  from: Date;
  to: Date;
  groups: SuggestionGroup[];
  /** every suggestion of the period, grouped as above (up to the limit) */
  items: SuggestionItem[];
  truncated: boolean;
}

const asDate = (v: unknown) => (v instanceof Date ? v : new Date(Number(v)));

export async function summarizeSuggestions(
  core: Core,
  q: { from: Date; to: Date; branchId?: string; itemLimit?: number },
): Promise<SuggestionSummary> {
  if (!(q.from.getTime() < q.to.getTime())) throw new AppError('invalid_period', 'from must be before to', { field: 'from' });
  if (q.branchId && !core.org.branches.has(q.branchId)) {
    throw new AppError('unknown_branch', `no branch ${q.branchId}`, { branch: q.branchId, field: 'branch' });
  }
  const d = dialectOf(core);
  const limit = Math.min(Math.max(q.itemLimit ?? 5000, 0), 50_000);
  const base = Prisma.sql`
    SELECT ${holderAt(d, q.to)} AS branch,
           NULLIF(TRIM(t."topic"), '') AS topic,
           t."category" AS category,
           t."number" AS number, t."createdAt" AS created, t."status" AS status, t."source" AS source, t."description" AS description,
           CASE WHEN COALESCE(t."resolvedAt", t."closedAt") < ${d.at(q.to)} THEN 1 ELSE 0 END AS answered
      FROM "Ticket" t
     WHERE t."createdAt" >= ${d.at(q.from)} AND t."createdAt" < ${d.at(q.to)}
       AND t."kind" = 'suggestion' AND t."status" NOT IN ('cancelled', 'duplicate')`;
  const onlyBranch = q.branchId ? Prisma.sql`WHERE branch = ${q.branchId}` : Prisma.empty;
  const [groupRows, itemRows] = await Promise.all([
    core.db.$queryRaw<Record<string, unknown>[]>(Prisma.sql`
      SELECT branch, topic, CASE WHEN topic IS NULL THEN category END AS category, COUNT(*) AS n, SUM(answered) AS answered
        FROM (${base}) s ${onlyBranch}
       GROUP BY 1, 2, 3`),
    core.db.$queryRaw<Record<string, unknown>[]>(Prisma.sql`
      SELECT * FROM (${base}) s ${onlyBranch}
       ORDER BY branch, topic, category, created, number
       LIMIT ${limit + 1}`),
  ]);

  const order = new Map([...core.org.branches.keys()].map((id, i) => [id, i]));
  const rank = (b: string | null) => (b === null ? -1 : (order.get(b) ?? order.size));
  const groups: SuggestionGroup[] = groupRows
    .map((r) => ({
      branchId: (r.branch as string | null) ?? null,
      topic: (r.topic as string | null) ?? null,
      category: (r.category as string | null) ?? null,
      count: num(r.n),
      answered: num(r.answered),
    }))
    .sort((a, b) => rank(a.branchId) - rank(b.branchId) || b.count - a.count || String(a.topic ?? a.category).localeCompare(String(b.topic ?? b.category)));
  const key = (g: { branchId: string | null; topic: string | null; category: string | null }) => `${g.branchId}\u0000${g.topic ?? `#${g.category}`}`;
  const groupIndex = new Map(groups.map((g, i) => [key(g), i]));
  const items: SuggestionItem[] = itemRows.slice(0, limit).map((r) => ({
    number: String(r.number),
    createdAt: asDate(r.created),
    branchId: (r.branch as string | null) ?? null,
    topic: (r.topic as string | null) ?? null,
    category: String(r.category),
    status: String(r.status),
    source: String(r.source),
    description: String(r.description),
    answered: num(r.answered) === 1,
  }));
  // Items follow the groups' order (largest topic first within a branch), oldest first inside one.
  const groupOf = (i: SuggestionItem) => groupIndex.get(key({ branchId: i.branchId, topic: i.topic, category: i.topic ? null : i.category })) ?? 0;
  items.sort((a, b) => groupOf(a) - groupOf(b) || a.createdAt.getTime() - b.createdAt.getTime());
  return { from: q.from, to: q.to, groups, items, truncated: itemRows.length > limit };
}
