import type { CustomerStore } from '../../core/ports/customer-store.js';
import type { Db } from '../client.js';
import type { Runner } from '../runner.js';

/** The customer register: by account or id, search, import in bulk. */
export class SqlCustomerStore implements CustomerStore {
  constructor(
    private readonly db: Db,
    private readonly q: Runner,
  ) {}
}
