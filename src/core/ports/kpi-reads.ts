/** The KPI counts of R27-R30 and R32/R33 over a period, and the suggestions summary. */
export interface KpiReads {}
