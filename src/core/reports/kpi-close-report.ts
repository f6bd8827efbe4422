import type { MonthlyBuilder } from './monthly-builder.js';

/** PLACEHOLDER until its part of issue 17 lands: freezes the month that ended. Sends nothing yet. */
export const kpiCloseReport: MonthlyBuilder = async () => [];
