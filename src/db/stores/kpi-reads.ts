import type { KpiReads } from '../../core/ports/kpi-reads.js';
import type { Db } from '../client.js';
import type { Runner } from '../runner.js';

/** The KPI counts of R27-R30 and R32/R33 over a period, and the suggestions summary. */
export class SqlKpiReads implements KpiReads {
  constructor(
    private readonly db: Db,
    private readonly q: Runner,
  ) {}
}
