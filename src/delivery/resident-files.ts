/**
 * Where the Slack app gets the files residents send (photos, voice), so that it can upload them
 * into a card's thread: the residents' messenger implements it (bots/telegram/resident-files.ts),
 * main.ts hands it over. Without one, the thread shows the line and says the file could not be fetched.
 */
export interface ResidentFile {
  bytes: Buffer;
  filename: string;
  mime: string;
}

export interface ResidentFiles {
  /**
   * The file's bytes, or null when it cannot be had (gone, too large for the Bot API): the thread
   * says so and nothing is retried. Throws when it may work later (network trouble, a 5xx, 429).
   */
  fetch(fileId: string, kind: 'photo' | 'audio'): Promise<ResidentFile | null>;
}
