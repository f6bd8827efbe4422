import type { ReadModels } from '../../core/ports/read-models.js';
import type { Db } from '../client.js';
import type { Runner } from '../runner.js';

/** What the bots and pages show: a ticket with its events, photos, form and callbacks (the card and status views), lists and pages of tickets. */
export class SqlReadModels implements ReadModels {
  constructor(
    private readonly db: Db,
    private readonly q: Runner,
  ) {}
}
