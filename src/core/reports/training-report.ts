import type { MonthlyBuilder } from './monthly-builder.js';

/** PLACEHOLDER until its part of issue 17 lands: branch heads reminded of untrained staff. Sends nothing yet. */
export const trainingReport: MonthlyBuilder = async () => [];
