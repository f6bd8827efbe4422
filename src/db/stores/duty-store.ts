import type { DutyStore } from '../../core/ports/duty-store.js';
import type { Db } from '../client.js';
import type { Runner } from '../runner.js';

/** Duty log and shift handovers (R4). */
export class SqlDutyStore implements DutyStore {
  constructor(
    private readonly db: Db,
    private readonly q: Runner,
  ) {}
}
