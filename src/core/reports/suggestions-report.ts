import type { MonthlyBuilder } from './monthly-builder.js';

/** PLACEHOLDER until its part of issue 17 lands: the month's suggestions to the leaders. Sends nothing yet. */
export const suggestionsReport: MonthlyBuilder = async () => [];
