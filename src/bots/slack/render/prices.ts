/**
 * /prices (R11, R12): a branch's price list (the company's items with the branch's own replacing
 * them, section 9 of the measures) grouped by category, the basic labour fee charged when the customer supplies the
 * materials, and the work that is quoted instead (R16).
 */
import type { PriceItem } from '../../../core/org/types.js';
import { labourFeeCents } from '../../../core/tickets/paid-work.js';
import { context, esc, header, section, type Block } from './blocks.js';
import { branchName, tr, type RenderCtx } from './names.js';

/** 4500 → "45", 4550 → "45.50" */
export function yuan(cents: number): string {
  return cents % 100 === 0 ? String(cents / 100) : (cents / 100).toFixed(2);
}

export const PRICE_GROUPS: PriceItem['category'][] = ['equipment', 'material', 'fitting', 'labour'];

/** The price list of a branch, or the company's (branchId null). */
export function priceListMessage(ctx: RenderCtx, branchId: string | null): { text: string; blocks: Block[] } {
  const items = ctx.org.priceList(branchId);
  const title = branchId ? tr(ctx, 'paid.prices_title', { branch: branchName(ctx, branchId) }) : tr(ctx, 'paid.prices_title_company');
  const blocks: Block[] = [header(title)];
  for (const g of PRICE_GROUPS) {
    const group = items.filter((p) => p.category === g);
    if (!group.length) continue;
    const lines = group.map((p) =>
      tr(ctx, 'paid.price_item', { name: esc(ctx.locale === 'en' ? (p.nameEn ?? p.name) : p.name), price: yuan(p.priceCents), unit: esc(p.unit) }),
    );
    blocks.push(section(`*${tr(ctx, `paid.group.${g}`)}*\n${lines.join('\n')}`));
  }
  if (!items.length) blocks.push(section(tr(ctx, 'paid.no_prices')));
  blocks.push(section(tr(ctx, 'paid.materials_rule', { fee: yuan(labourFeeCents(ctx.org, branchId)) })));
  blocks.push(context([tr(ctx, 'paid.quote_note'), ...(branchId ? [] : [tr(ctx, 'paid.branch_may_differ')])]));
  return { text: title, blocks };
}

/** R11: whose materials paid work uses, as the card shows it (nothing for other kinds). */
export function materialsLine(ctx: RenderCtx, t: { kind: string; paidMaterials: string | null; branchId: string | null }): string | null {
  if (t.kind !== 'paid_service') return null;
  const which = t.paidMaterials === 'own' || t.paidMaterials === 'company' ? t.paidMaterials : 'unknown';
  return tr(ctx, 'paid.card_materials', { materials: tr(ctx, `paid.materials.${which}`, { fee: yuan(labourFeeCents(ctx.org, t.branchId)) }) });
}
