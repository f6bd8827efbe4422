import type { AlertStore } from '../../core/ports/alert-store.js';
import type { Db } from '../client.js';
import type { Runner } from '../runner.js';

/** Time-bound alerts: claim what is due, fire (mark fired with the effects of firing), cancel; the next due time; scheduled reports. */
export class SqlAlertStore implements AlertStore {
  constructor(
    private readonly db: Db,
    private readonly q: Runner,
  ) {}
}
