import type { Clock } from './clock.js';
import type { Org } from './org/org.js';
import type { Stores } from './ports/index.js';

/** What every use case needs: the stores, the organisation and the time. */
export interface Core {
  stores: Stores;
  org: Org;
  clock: Clock;
}
