import type { MonthlyBuilder } from './monthly-builder.js';

/** PLACEHOLDER until its part of issue 17 lands: the month's conduct findings to the leaders. Sends nothing yet. */
export const conductReport: MonthlyBuilder = async () => [];
