import type { ResidentStore } from '../../core/ports/resident-store.js';
import type { Db } from '../client.js';
import type { Runner } from '../runner.js';

/** Residents of the bot: meet, bind (with its guess limit), locale and address. */
export class SqlResidentStore implements ResidentStore {
  constructor(
    private readonly db: Db,
    private readonly q: Runner,
  ) {}
}
