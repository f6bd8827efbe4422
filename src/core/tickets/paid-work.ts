/**
 * What a resolve of paid work (kind paid_service) must carry. R14/R15: the service form records
 * the effect and the after-sales terms the customer signs. R12: when the customer supplied the
 * materials, only the basic labour fee is charged; a fee above it stands only with a reason,
 * which the resolve event keeps.
 */
import { AppError } from '../errors.js';
import type { Ticket } from '../model.js';
import type { Org } from '../org/org.js';

/** The basic labour fee of a branch (its own, under the company's, section 9 of the measures), else the company's. */
export function labourFeeCents(org: Org, branchId: string | null): number {
  return org.labourFeeCents(branchId);
}

export interface PaidFormInput {
  effect?: string;
  afterSalesTerms?: string;
  feesCents?: number;
  /** R12: why an own-materials job charges more than the basic labour fee (the confirmation) */
  feeOverCapReason?: string;
}

/** Refuses a resolve of paid work that lacks them; the resolve event's data for a fee over the cap. */
export function checkPaidResolve(
  org: Org,
  t: Pick<Ticket, 'kind' | 'paidMaterials' | 'branchId' | 'number'>,
  form: PaidFormInput | undefined,
): Record<string, unknown> {
  if (t.kind !== 'paid_service') return {};
  const missing = [!form?.effect?.trim() && 'form.effect', !form?.afterSalesTerms?.trim() && 'form.afterSalesTerms'].filter((x): x is string => Boolean(x));
  if (missing.length)
    throw new AppError('after_sales_required', `paid work ${t.number} is resolved with a service form that states the effect and the after-sales terms`, {
      field: missing[0],
      missing,
    });
  if (t.paidMaterials !== 'own') return {};
  const capCents = labourFeeCents(org, t.branchId);
  const feesCents = form?.feesCents ?? 0;
  if (feesCents <= capCents) return {};
  const reason = form?.feeOverCapReason?.trim();
  if (!reason)
    throw new AppError(
      'labour_fee_exceeded',
      `the customer supplied the materials: ${feesCents} cents is more than the basic labour fee of ${capCents}; confirm with a reason`,
      {
        field: 'form.feesCents',
        capCents,
        feesCents,
      },
    );
  return { labourFee: { capCents, feesCents, reason } };
}
