/**
 * A rate as the regulation writes it (八): numerator ÷ denominator against a target. A rate
 * over nothing is null, not 100 %: a branch with no repairs did not repair everything in time.
 */

/** Targets of R27, R28 and R29, in per cent. */
export const TARGETS = {
  repairTimeliness: 100,
  satisfaction: 99,
  complaintTimeliness: 100,
  complaintCompletion: 100,
  complaintSatisfaction: 100,
} as const;

export type RateName = keyof typeof TARGETS;
export const RATE_NAMES = Object.keys(TARGETS) as RateName[];

export interface Rate {
  numerator: number;
  denominator: number;
  /** numerator ÷ denominator, 0..1; null when the denominator is 0 */
  rate: number | null;
  /** the target as a fraction, 0..1 */
  target: number;
  /** null when there is nothing to measure */
  met: boolean | null;
  /** items in the denominator whose time had not yet run out at the end of the period */
  pending?: number;
}

export function makeRate(name: RateName, numerator: number, denominator: number, pending?: number): Rate {
  const targetPercent = TARGETS[name];
  return {
    numerator,
    denominator,
    rate: denominator === 0 ? null : numerator / denominator,
    target: targetPercent / 100,
    // compared in whole numbers: 99 of 100 meets 99 %, with no floating-point doubt
    met: denominator === 0 ? null : numerator * 100 >= targetPercent * denominator,
    ...(pending === undefined ? {} : { pending }),
  };
}

/** The rate in per cent, rounded down to 0.1 so that a missed target never shows as met (98.95 % → 98.9). */
export function percentFloor(rate: number | null): number | null {
  if (rate === null) return null;
  return Math.floor(rate * 1000 + 1e-9) / 10;
}
